// Cross-cutting suite (test/docs/): the vitest example of docs/testing.md runs, as a user's test, under vitest.
import { execFile } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_COMPILER_OPTIONS, codeExamples } from './extract.js';
import { PACKAGE_ROOT, linkedPackageDir } from '../helpers/package-link.js';

/**
 * docs/testing.md shows a user's module (`tuning.ts`) and its vitest test against the mock driver. Both are
 * written to a directory where `virtune` and `virtune/testing` resolve through the package's exports map (the
 * built dist/), and vitest runs the test there: it must pass, and it must fail when the mock's fault is taken out
 * (so the example's assertions depend on the fault it shows).
 */
const examples = codeExamples('docs/testing.md');
const moduleCode = examples.find((e) => e.code.includes('export async function capAll'))!.code;
const testCode = examples.find((e) => e.code.includes("from './tuning.js'"))!.code;
let dir: string;
let remove = (): void => {};

beforeAll(() => {
  ({ dir, remove } = linkedPackageDir('testing-page'));
  symlinkSync(join(PACKAGE_ROOT, 'node_modules', 'vitest'), join(dir, 'node_modules', 'vitest'), 'dir');
  writeFileSync(join(dir, 'tuning.ts'), moduleCode);
});
afterAll(() => remove());

async function runVitest(test: string): Promise<{ ok: boolean; out: string }> {
  writeFileSync(join(dir, 'tuning.test.ts'), test);
  const vitest = join(PACKAGE_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [vitest, 'run', '--root', dir], { cwd: dir, env: { ...process.env, CI: '' } });
    return { ok: true, out: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('docs/testing.md', () => {
  it('type-checks (strict, nodenext) against the built package, as a user\'s project would', () => {
    writeFileSync(join(dir, 'tuning.test.ts'), testCode);
    const program = ts.createProgram([join(dir, 'tuning.ts'), join(dir, 'tuning.test.ts')], USER_COMPILER_OPTIONS);
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });

  it('has the module and the test, and the test passes under vitest', async () => {
    expect(testCode).toContain("from 'virtune/testing'");
    const r = await runVitest(testCode);
    expect(r.out).toMatch(/1 passed/);
    expect(r.ok, r.out).toBe(true);
  }, 120_000);

  it('fails without the fault it injects: the example tests what it says', async () => {
    const r = await runVitest(testCode.replace(/^\s*mock\.fail\(.*\n/m, ''));
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/1 failed/);
  }, 120_000);
});
