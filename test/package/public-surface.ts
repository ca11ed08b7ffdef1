// The package's public surface as its exports map declares it: every subpath's module (read from the sources the
// build emits it from), so a suite that walks it covers a new export or a new subpath without being told.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One subpath of package.json's `exports` (`.`, `./cim`, ...) and the source file its ESM build comes from. */
export interface PublicSubpath {
  subpath: string;
  source: string;
}

/** Every subpath whose `import` condition names a module of `dist/` (not `./package.json`). */
export function publicSubpaths(): PublicSubpath[] {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { exports: Record<string, unknown> };
  const out: PublicSubpath[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const entry = (target as { import?: { default?: string } } | string);
    const file = typeof entry === 'string' ? entry : entry.import?.default;
    if (!file?.startsWith('./dist/') || !file.endsWith('.js')) continue;
    out.push({ subpath, source: `${ROOT}src/${file.slice('./dist/'.length, -'.js'.length)}.ts` });
  }
  return out;
}

/** An exported value and where it comes from. */
export interface PublicExport {
  subpath: string;
  name: string;
  value: unknown;
}

/** Every value every subpath exports (types are erased; enums and constants are values too). */
export async function publicExports(): Promise<PublicExport[]> {
  const out: PublicExport[] = [];
  for (const { subpath, source } of publicSubpaths()) {
    const mod = (await import(pathToFileURL(source).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) out.push({ subpath, name, value });
  }
  return out;
}

/** True for a class (called only with `new`), as opposed to a plain function. */
export function isClass(value: unknown): value is new (...args: unknown[]) => unknown {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}
