// Cross-cutting suite (test/docs/): the examples of README.md and docs/ run as written.
/** The README's examples run as written, against the built package. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, runVirtune } from '../helpers/spawn-cli.js';

const README = readFileSync(`${ROOT}README.md`, 'utf8');

describe('README examples', () => {
  beforeAll(() => assertBuilt());

  it('runs the library example, printing what its comments say', async () => {
    const code = /```js\n([\s\S]*?)```/.exec(README)?.[1];
    expect(code).toBeDefined();
    // Run from the package root, so `import ... from 'virtune'` resolves to this package (self-reference).
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code!], { cwd: ROOT });
    expect(stdout).toBe(
      'hard_limit 1048576 KiB\nsoft_limit 524288 KiB\nswap_hard_limit unlimited\n' +
        '8 invalid argument: memory hard_limit tunable value must be lower than or equal to swap_hard_limit\n',
    );
  });

  it('runs the quick-start command on the test driver', async () => {
    const line = /^npm ci && node bin\/virtune\.js '([^']+)'/m.exec(README)?.[1];
    expect(line).toBe('memtune test --hard-limit 1G; memtune test');
    const r = await runVirtune([line!]);
    expect(r).toEqual({ stdout: '\nhard_limit     : 1048576\nsoft_limit     : unlimited\nswap_hard_limit: unlimited\n\n', stderr: '', status: 0 });
  });

  it('shows the command-line example as it prints', async () => {
    const r = await runVirtune(['-c', 'test:///default', 'memtune test --hard-limit 2G --swap-hard-limit 3G; memtune test']);
    expect(README).toContain(`$ node bin/virtune.js -c test:///default 'memtune test --hard-limit 2G --swap-hard-limit 3G; memtune test'\n${r.stdout}`);
  });
});
