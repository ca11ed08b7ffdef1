// The CommonJS build (`require('virtune')`): every module of tsc's ESM output in dist/ becomes a CommonJS module
// of the same name in dist/cjs/ (esbuild, file by file, no bundling), and the declarations are copied beside them;
// dist/cjs/package.json says `"type": "commonjs"`, so Node and TypeScript read both as CommonJS. The exports map
// points the `require` condition of every subpath here. Run by `npm run build`, after tsc.
//
// File by file, not one bundle: a subpath (`virtune/testing`) and the root then share the same module instances
// (one driver registry, one VirError) inside the CommonJS tree, as they do inside the ESM tree. Between the two
// trees they are different instances: docs/installing.md says what that means (VirError is recognised across them).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const OUT = resolve(DIST, 'cjs');
/** The command line is ESM only (bin/virtune.js runs the ESM bundle); the library is what `require` needs. */
const SKIP = new Set([OUT, resolve(DIST, 'cli'), resolve(DIST, 'cli-bundle')]);

function files(dir, found = { js: [], dts: [] }) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = resolve(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP.has(path)) files(path, found);
    } else if (e.name.endsWith('.d.ts')) found.dts.push(path);
    else if (e.name.endsWith('.js')) found.js.push(path);
  }
  return found;
}

rmSync(OUT, { recursive: true, force: true });
const { js, dts } = files(DIST);
const result = await build({
  entryPoints: js,
  outbase: DIST,
  outdir: OUT,
  bundle: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // `import()` of our own modules becomes a deferred `require`: the lazy loading stays, in one module system.
  supported: { 'dynamic-import': false },
  // The few modules that find files relative to themselves (schemas/, package.json) ask `import.meta.url`: they
  // are given their ESM twin's URL, so `new URL('../../schemas/', import.meta.url)` means the same in both trees.
  define: { 'import.meta.url': '__virtuneModuleURL' },
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
});
for (const out of result.outputFiles) {
  let text = out.text;
  if (text.includes('__virtuneModuleURL')) {
    const twin = relative(dirname(out.path), join(DIST, relative(OUT, out.path)));
    const url = `const __virtuneModuleURL = require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(twin)})).href;`;
    text = text.replace(/^("use strict";\n)?/, `$1${url}\n`);
  }
  mkdirSync(dirname(out.path), { recursive: true });
  writeFileSync(out.path, text);
}
for (const file of dts) {
  const target = join(OUT, relative(DIST, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
}
writeFileSync(join(OUT, 'package.json'), '{\n  "type": "commonjs"\n}\n');
