// Bundles the command line for bin/virtune.js: dist/cli/main.js (tsc's output) and the modules a common command
// loads become dist/cli-bundle/main.js and the one chunk it imports, so a one-shot `virtune memtune` reads two
// files of ours instead of ~36 (each ES module costs ~0.5–1 ms to resolve, read, compile and link on Node 20).
// Run by `npm run build`, after tsc; see docs/cli.md "Cold start".
//
// What stays lazy: every `import()` in the tree stays a separate chunk (the XML parser and libxmljs2, the other
// drivers, the rarely used commands) — except the few in HOT below, which the common path always takes and which
// are therefore folded into the entry. Code shared by the entry and a lazy chunk lives in exactly one chunk, so
// every module (VirError's class, the driver registry) still has a single instance. npm packages stay external.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = resolve(ROOT, 'dist');
/** At the same depth as dist/cli/ and dist/xml/: `new URL('../../package.json', import.meta.url)` still works. */
const OUT = resolve(DIST, 'cli-bundle');
const META = resolve(OUT, 'meta.json');

/**
 * The `import()` targets every one-shot command on test:/// takes (the connection, the test driver) and the
 * memory commands this tool exists for. Anything else loaded by `import()` stays a chunk of its own.
 */
const HOT = new Set(
  [
    'connection/connection.js',
    'drivers/test/factory.js',
    'cli/commands/memtune.js',
    'cli/commands/setmem.js',
  ].map((p) => resolve(DIST, p)),
);

const DYNAMIC_IMPORT = /\bimport\((['"])(\.{1,2}\/[^'"]+)\1\)/g;
const ENTRY = resolve(DIST, 'cli/main.js');

/** The targets of the `import()`s in dist/ that stay lazy. */
function lazyTargets(dir = DIST, found = new Set()) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = resolve(dir, e.name);
    if (e.isDirectory()) {
      if (path !== OUT) lazyTargets(path, found);
    } else if (e.name.endsWith('.js')) {
      for (const [, , spec] of readFileSync(path, 'utf8').matchAll(DYNAMIC_IMPORT)) {
        const target = resolve(dir, spec);
        if (!HOT.has(target)) found.add(target);
      }
    }
  }
  return found;
}
const LAZY = lazyTargets();

/** Turns `import('./hot.js')` into a static import plus `Promise.resolve(namespace)`: same value, one chunk. */
const foldHotImports = {
  name: 'fold-hot-imports',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const hoisted = [];
      const contents = source.replace(DYNAMIC_IMPORT, (call, _q, spec) => {
        if (!HOT.has(resolve(dirname(path), spec))) return call;
        const name = `__hot${hoisted.length}`;
        hoisted.push(`import * as ${name} from '${spec}';`);
        return `Promise.resolve(${name})`;
      });
      // esbuild gives each set of entries that share a module its own chunk, and counts every `import()` target
      // as an entry: the common path would still load ~15 chunks. A lazy module's extra import of the entry costs
      // nothing at run time (the entry is always loaded first) and puts all of the entry's modules in one chunk.
      if (LAZY.has(path)) hoisted.push(`import ${JSON.stringify(ENTRY)};`);
      return { contents: hoisted.length === 0 ? source : `${hoisted.join('\n')}\n${contents}`, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { main: ENTRY },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [foldHotImports],
});

for (const hot of HOT) {
  if (!(relative(ROOT, hot) in result.metafile.inputs)) throw new Error(`bundle-cli: ${relative(ROOT, hot)} is in HOT but not on the command line's path`);
}
// Bundled code resolves `import.meta.url` against its chunk: only modules at dist/cli-bundle's depth may use it.
for (const input of Object.keys(result.metafile.inputs)) {
  if (input.split('/').length !== 3 && readFileSync(resolve(ROOT, input), 'utf8').includes('import.meta')) {
    throw new Error(`bundle-cli: ${input} uses import.meta at a depth other than dist/cli-bundle's`);
  }
}
// Which modules each chunk holds: test/cli/cold-start.test.ts maps the chunks a command loaded back to them.
const chunks = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([file, o]) => [relative(ROOT, resolve(ROOT, file)), Object.keys(o.inputs).sort()]),
);
writeFileSync(META, `${JSON.stringify(chunks, null, 2)}\n`);
