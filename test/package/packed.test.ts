// Cross-cutting suite: the package as users get it. `npm pack`s the built tree, installs the tarball into a new
// project and uses it from an ES module, a CommonJS module and TypeScript (strict; nodenext and bundler
// resolution), and checks what the tarball contains. The built dist/ must be current (npm test builds it first).
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../helpers/package-link.js';
import { packedProject, type PackedProject } from './packed-project.js';

const FIXTURES = join(PACKAGE_ROOT, 'test/package/fixtures');
let app: PackedProject;

beforeAll(() => {
  app = packedProject();
  for (const f of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, f), join(app.dir, f));
}, 120_000);
afterAll(() => app?.remove());

async function runJson(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: app.dir, timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

function typeErrors(files: string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram(
    files.map((f) => join(app.dir, f)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      typeRoots: [join(PACKAGE_ROOT, 'node_modules/@types')],
      // The consumers are checked against our declarations; checking all of @types/node as well costs ~40 s.
      skipLibCheck: true,
      ...options,
    },
  );
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

const exportsMap = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(app.pkg, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;

describe('the packed package', () => {
  it('serves every subpath to import and require, each with its declarations, all in the tarball', () => {
    const subpaths = Object.entries(exportsMap()).filter(([k]) => k !== './package.json');
    expect(subpaths.map(([k]) => k)).toContain('.');
    for (const [key, target] of subpaths) {
      const t = target as Record<string, Record<string, string>>;
      expect(Object.keys(t), key).toEqual(['import', 'require']);
      for (const condition of ['import', 'require'] as const) {
        expect(Object.keys(t[condition]!), `${key} ${condition}`).toEqual(['types', 'default']);
        for (const file of Object.values(t[condition]!)) expect(app.files, `${key} ${condition}`).toContain(normalize(file));
      }
      expect(t.require!.default, key).toMatch(/^\.\/dist\/cjs\//);
    }
  });

  it('holds the license text, and no tests, sources, benchmarks or source maps', () => {
    expect(readFileSync(join(app.pkg, 'LICENSE'), 'utf8')).toContain('GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 2.1, February 1999');
    expect(JSON.parse(readFileSync(join(app.pkg, 'package.json'), 'utf8')).license).toBe('LGPL-2.1-or-later');
    expect(app.files.filter((f) => /^(src|test|bench|scripts)\//.test(f) || f.endsWith('.map'))).toEqual([]);
    const mapped = app.files.filter((f) => /\.(c?js|d\.ts)$/.test(f) && readFileSync(join(app.pkg, f), 'utf8').includes('sourceMappingURL'));
    expect(mapped).toEqual([]);
  });

  it('has documents whose relative links all lead to files in the package', () => {
    const broken: string[] = [];
    for (const doc of app.files.filter((f) => f.endsWith('.md'))) {
      for (const [, target] of readFileSync(join(app.pkg, doc), 'utf8').matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!existsSync(join(app.pkg, dirname(doc), target!))) broken.push(`${doc} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

/**
 * Subpaths whose declarations still name libxmljs2 types, with the reason. The list only shrinks: an entry that no
 * longer leaks fails the test until it is removed.
 */
const LIBXMLJS2_IN_API: Record<string, string> = {};

describe('the declarations of the packed package', () => {
  /** The declaration files reachable from one subpath's `types`, and those among them that import libxmljs2. */
  function reach(subpath: string): { seen: Set<string>; leaking: string[] } {
    const conditions = exportsMap()[subpath] as Record<string, { types: string }>;
    const seen = new Set<string>();
    const leaking: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(app.pkg, file), 'utf8');
      if (/from 'libxmljs2'|import\('libxmljs2'\)/.test(text)) leaking.push(file);
      for (const [, spec] of text.matchAll(/(?:from|import\() ?'(\.{1,2}\/[^']+)\.js'/g)) visit(normalize(join(dirname(file), `${spec}.d.ts`)));
    };
    for (const c of Object.values(conditions)) visit(normalize(c.types));
    return { seen, leaking };
  }

  it('name no libxmljs2 type: no declaration an entry point reaches imports libxmljs2', () => {
    const subpaths = Object.keys(exportsMap()).filter((k) => k !== './package.json');
    expect(reach('.').seen.size).toBeGreaterThan(20);
    for (const subpath of subpaths) {
      const { leaking } = reach(subpath);
      if (subpath in LIBXMLJS2_IN_API) expect(leaking.length, `${subpath} no longer leaks: remove it from LIBXMLJS2_IN_API`).toBeGreaterThan(0);
      else expect(leaking, subpath).toEqual([]);
    }
  });
});

describe('consumers of the packed package', () => {
  it('an ES module imports every subpath and uses the test driver without loading the native addon, then parses XML with it', async () => {
    const out = await runJson('consumer.mjs');
    const subpaths = Object.fromEntries(Object.keys(exportsMap()).filter((k) => !k.endsWith('.json')).map((k) => [k, true]));
    expect(out).toEqual({
      hard: '1048576',
      error: { isVirError: true, code: 8 },
      addonsForTestDriver: 0,
      parsed: 'esm',
      addonsAfterParse: 1,
      subpaths,
      internals: [],
    });
  });

  it('a CommonJS module require()s every subpath and uses the test driver without the native addon; VirError is one across the builds', async () => {
    const out = await runJson('consumer.cjs');
    const subpaths = Object.fromEntries(Object.keys(exportsMap()).filter((k) => !k.endsWith('.json')).map((k) => [k, true]));
    expect(out).toEqual({
      hard: '1048576',
      error: { isVirError: true, code: 8 },
      addonsForTestDriver: 0,
      libxmlRequired: false,
      parsed: 'cjs',
      addonsAfterParse: 1,
      dual: { sameClass: false, esmErrorIsCjsVirError: true, cjsErrorIsEsmVirError: true, isVirError: true, plainErrorIsVirError: false },
      subpaths,
    });
  });

  it('type-checks strictly as ESM and CommonJS (nodenext) and under bundler resolution', () => {
    expect(typeErrors(['consumer.mts', 'consumer.cts'], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext })).toEqual([]);
    expect(typeErrors(['consumer-bundler.ts'], { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler })).toEqual([]);
  }, 60_000);
});
