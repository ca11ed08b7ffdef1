import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runVirtune } from './helpers/spawn-cli.js';

describe('the interactive shell (stdin not a terminal)', () => {
  let home: string;
  beforeAll(() => {
    assertBuilt();
    home = mkdtempSync(join(tmpdir(), `virtune-shell-${process.pid}-`));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('runs each line in one connection and ends at quit', async () => {
    const r = await runVirtune(['-c', 'test:///default'], { XDG_CACHE_HOME: home }, 'memtune test --hard-limit 1G\nmemtune test\nfoo\nquit\nuri\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      "Welcome to virtune, the virtualization interactive terminal.\n\nType:  'help' for help with commands\n       'quit' to quit\n\n" +
        'virtune # memtune test --hard-limit 1G\n\n' +
        'virtune # memtune test\nhard_limit     : 1048576\nsoft_limit     : unlimited\nswap_hard_limit: unlimited\n\n' +
        'virtune # foo\n' +
        'virtune # quit\n',
    );
    expect(r.stderr).toBe("error: unknown command: 'foo'\n");
  });

  it('ends at end of input with status 0, read-only prompt with -r', async () => {
    const r = await runVirtune(['-q', '-r', '-c', 'test:///default'], { XDG_CACHE_HOME: home }, 'memtune nope\n');
    expect(r).toEqual({ stdout: 'virtune > memtune nope\nvirtune > \n', stderr: "error: failed to get domain 'nope'\n", status: 0 });
  });

  it('keeps no history file when not on a terminal', () => {
    expect(() => readFileSync(join(home, 'virtune', 'history'))).toThrow();
  });
});
