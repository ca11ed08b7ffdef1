// Cross-cutting suite (test/docs/): the examples of README.md and docs/ run as written.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_FILES, USER_COMPILER_OPTIONS, codeExamples, cliExamples, notRunMarkCount } from './extract.js';
import { skipUnless } from '../helpers/prereq.js';
import { PACKAGE_ROOT as ROOT, linkedPackageDir } from '../helpers/package-link.js';

/**
 * Every ```ts and ```js example of docs/*.md and README.md is run as a user would run it: it imports 'virtune'
 * through the package's exports map (the built dist/, which `npm test` builds first), is type-checked against
 * dist/index.d.ts, and its output must be the `Output:` block the docs show after it. Examples that need real
 * parts say so with `<!-- example: needs ... -->` and clean up after themselves; the few that cannot run say why
 * with `<!-- example: not-run (...) -->`. The ```console examples are held to the same rule in
 * test/docs/cli-examples.test.ts.
 */

const ALL = DOC_FILES.flatMap((d) => codeExamples(d));
const RUN = ALL.filter((e) => e.notRun === undefined);
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
  it('are found in the documents, and every one imports virtune and shows what it prints', () => {
    for (const doc of ['docs/drivers.md', 'docs/parameters.md', 'docs/concepts.md', 'docs/xml.md', 'docs/cgroups.md', 'docs/lxc.md', 'docs/qemu.md', 'README.md']) {
      expect(ALL.filter((e) => e.name.startsWith(`${doc} `)).length, doc).toBeGreaterThanOrEqual(1);
    }
    for (const ex of ALL) {
      expect(ex.code, ex.name).toContain("from 'virtune'");
      // An example that prints shows what it prints, so the reader and this test can compare.
      if (ex.code.includes('console.log') && ex.notRun === undefined) expect(ex.output, ex.name).toBeDefined();
    }
  });

  it('are all run except the few marked not-run, each with its reason', () => {
    const skipped = [...ALL, ...DOC_FILES.flatMap((d) => cliExamples(d))].filter((e) => e.notRun !== undefined);
    for (const ex of skipped) expect(ex.notRun, ex.name).toMatch(/\w{3}/);
    expect(skipped.length).toBe(notRunMarkCount());
    expect(skipped.length).toBeLessThanOrEqual(3);
  });

  it('type-check against the built package', () => {
    // A vitest test file of the docs (docs/testing.md) imports vitest and its module under test: it is written out,
    // type-checked and run beside that module by test/docs/testing-page.test.ts.
    const program = ts.createProgram(
      ALL.flatMap((e, i) => (e.code.includes("from 'vitest'") ? [] : [file(i, 'mts')])),
      USER_COMPILER_OPTIONS,
    );
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${ALL[Number(/example-(\d+)/.exec(d.file.fileName)?.[1])]?.name ?? d.file.fileName}: ` : '';
      return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
    });
    expect(diagnostics).toEqual([]);
  });

  for (const ex of RUN) {
    const i = ALL.indexOf(ex);
    it.skipIf(ex.needs.length > 0 && skipUnless(...ex.needs))(`${ex.name} runs and prints what the docs show`, async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [file(i, 'mjs')], { cwd: dir, timeout: 60_000 });
      if (ex.output !== undefined) expect(stdout.trimEnd()).toBe(ex.output.trimEnd());
    }, 90_000);
  }
});
