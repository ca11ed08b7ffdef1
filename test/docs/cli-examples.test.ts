// Cross-cutting suite (test/docs/): the examples of README.md and docs/ run as written.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../helpers/package-link.js';
import { skipUnless } from '../helpers/prereq.js';
import { DOC_FILES, cliExamples, parseConsole, type CliStep } from './extract.js';

/**
 * Every ```console example of docs/*.md and README.md is run against the built command line: each `$ virtune …`
 * or `$ node bin/virtune.js …` line through /bin/sh (so the quoting is the reader's), from the package root, with
 * no default URI inherited, and what it prints (stdout and stderr as a terminal interleaves them) must be the
 * lines the docs show under it.
 */

const ALL = DOC_FILES.flatMap((d) => cliExamples(d));

/** The shell command a reader types, with `virtune` as the built bin/virtune.js and stderr where a terminal shows it. */
function shellCommand(command: string): string {
  if (!/^(virtune|node bin\/virtune\.js)( |$)/.test(command)) throw new Error(`not a virtune command: ${command}`);
  return `${command.replace(/^virtune\b/, 'node bin/virtune.js')} 2>&1`;
}

function run(step: CliStep): Promise<string> {
  // `node` in the shell is the Node running this suite (CI runs it under several versions; the native addon in
  // node_modules is built for that one).
  const PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PATH, LC_ALL: 'C', LANG: 'C' };
  delete env.VIRTUNE_DEFAULT_URI;
  delete env.LIBVIRT_DEFAULT_URI;
  return new Promise((resolve, reject) => {
    const child = execFile('/bin/sh', ['-c', shellCommand(step.command)], { cwd: PACKAGE_ROOT, env, timeout: 30_000 }, (err, stdout) => {
      // A failing command's exit status is part of the example only through its error lines.
      if (err && typeof (err as { code?: unknown }).code !== 'number') reject(err);
      else resolve(String(stdout));
    });
    child.stdin?.end();
  });
}

describe('docs CLI examples', () => {
  it('are found, and each is a list of virtune commands with their output', () => {
    expect(existsSync(join(PACKAGE_ROOT, 'dist/cli/main.js')), 'dist/ is missing: run `npm run build` first').toBe(true);
    for (const doc of ['docs/cli.md', 'README.md']) expect(ALL.filter((e) => e.name.startsWith(`${doc} `)).length, doc).toBeGreaterThanOrEqual(1);
    for (const ex of ALL) {
      expect(ex.steps.length, ex.name).toBeGreaterThan(0);
      for (const s of ex.steps) expect(() => shellCommand(s.command), ex.name).not.toThrow();
    }
  });

  it('are split into commands and output as a reader reads them', () => {
    expect(parseConsole("$ virtune -q 'memtune test'\nhard_limit     : unlimited\n$ virtune uri\n\ntest:///default\n")).toEqual([
      { command: "virtune -q 'memtune test'", output: 'hard_limit     : unlimited\n' },
      { command: 'virtune uri', output: '\ntest:///default\n\n' },
    ]);
    expect(() => parseConsole('output before any command')).toThrow(/does not start/);
  });

  for (const ex of ALL.filter((e) => e.notRun === undefined)) {
    it.skipIf(ex.needs.length > 0 && skipUnless(...ex.needs))(`${ex.name} prints what the docs show`, async () => {
      for (const step of ex.steps) expect(await run(step), `$ ${step.command}`).toBe(step.output);
    });
  }
});
