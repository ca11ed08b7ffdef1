import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT as ROOT, linkedPackageDir } from './package-link.js';

/**
 * The `ts` examples of docs/drivers.md and docs/parameters.md are run as a user would run them: they import
 * 'virtune' through the package's exports map (the built dist/, which `npm test` builds first), are
 * type-checked against dist/index.d.ts, and their output must be the `Output:` block the docs show after them.
 */

const DOCS = ['docs/drivers.md', 'docs/parameters.md'];

interface Example {
  name: string;
  code: string;
  output: string | undefined;
}

/**
 * Every ```ts (or ```js) block, with the ```text block that follows an `Output…:` line after it, if any.
 * README.md's library example is held to the same test, so the first code a user copies works.
 */
function examples(doc: string, lang = 'ts'): Example[] {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const f = '```';
  const re = new RegExp(`${f}${lang}\\n([\\s\\S]*?)\\n${f}(?:\\n+Output[^\\n]*:\\n+${f}text\\n([\\s\\S]*?)\\n${f})?`, 'g');
  return [...text.matchAll(re)].map((m, i) => ({ name: `${doc} #${i + 1}`, code: m[1]!, output: m[2] }));
}

const ALL = [...DOCS.flatMap((d) => examples(d)), ...examples('README.md', 'js').filter((e) => e.code.includes("from 'virtune'"))];
const file = (i: number, ext: string): string => join(dir, `example-${i}.${ext}`);
let dir: string;
let remove = (): void => {};

beforeAll(() => {
  ({ dir, remove } = linkedPackageDir('docs'));
  ALL.forEach((ex, i) => {
    writeFileSync(file(i, 'mts'), ex.code);
    const js = ts.transpileModule(ex.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(file(i, 'mjs'), js.outputText);
  });
});
afterAll(() => remove());

describe('docs examples', () => {
  it('exist in both documents, and every one imports virtune', () => {
    for (const doc of DOCS) expect(ALL.filter((e) => e.name.startsWith(doc)).length).toBeGreaterThanOrEqual(2);
    expect(ALL.some((e) => e.name.startsWith('README.md'))).toBe(true);
    for (const ex of ALL.filter((e) => !e.name.startsWith('README.md'))) {
      expect(ex.code, ex.name).toContain("from 'virtune'");
      // An example that prints shows what it prints, so the reader and this test can compare.
      if (ex.code.includes('console.log')) expect(ex.output, ex.name).toBeDefined();
    }
  });

  it('type-check against the built package', () => {
    const program = ts.createProgram(
      ALL.map((_e, i) => file(i, 'mts')),
      {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
      },
    );
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${ALL[Number(/example-(\d+)/.exec(d.file.fileName)?.[1])]?.name ?? d.file.fileName}: ` : '';
      return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
    });
    expect(diagnostics).toEqual([]);
  });

  it.each(ALL.map((ex, i) => [ex.name, i] as const))('%s runs and prints what the docs show', async (_name, i) => {
    const { stdout } = await promisify(execFile)(process.execPath, [file(i, 'mjs')], { cwd: dir, timeout: 30_000 });
    const expected = ALL[i]!.output;
    if (expected !== undefined) expect(stdout.trimEnd()).toBe(expected.trimEnd());
  });
});
