import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { skipUnless } from '../helpers/prereq.js';
import { assertBuilt, runVirsh, runVirtune, VIRTUNE_BIN } from '../helpers/spawn-cli.js';

/**
 * Runs the shell on a pseudo-terminal (util-linux `script`). Each line of keys is typed only once the prompt is
 * back, as a person would, and the whole transcript is returned when the shell exits.
 */
function onTerminal(lines: readonly string[], home: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', `${process.execPath} ${VIRTUNE_BIN} -q -c test:///default`, '/dev/null'], {
      env: { ...process.env, XDG_CACHE_HOME: home },
    });
    let out = '';
    let prompts = 0;
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the shell did not finish; transcript: ${JSON.stringify(out)}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Type the next line at each new prompt.
      const seen = out.split('virtune # ').length - 1;
      while (prompts < seen) {
        const keys = lines[prompts++];
        if (keys !== undefined) child.stdin.write(keys);
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

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
        'virtune # quit\n\n',
    );
    expect(r.stderr).toBe("error: unknown command: 'foo'\n");
  });

  it('ends at end of input with status 0, read-only prompt with -r', async () => {
    const r = await runVirtune(['-q', '-r', '-c', 'test:///default'], { XDG_CACHE_HOME: home }, 'memtune nope\n');
    expect(r).toEqual({ stdout: 'virtune > memtune nope\nvirtune > \n', stderr: "error: failed to get domain 'nope'\n", status: 0 });
  });

  // virsh prints a line break when its shell ends, after `quit`/`exit` as at end of input.
  it.skipIf(skipUnless('virsh'))('ends as virsh does, after quit, exit in a batch and end of input', async () => {
    for (const input of ['uri\nquit\nuri\n', 'exit', 'uri; exit; uri\n', 'uri\n', '\n']) {
      const env = { XDG_CACHE_HOME: home };
      const [theirs, ours] = await Promise.all([runVirsh(['-q', '-c', 'test:///default'], env, input), runVirtune(['-q', '-c', 'test:///default'], env, input)]);
      expect({ ...ours, stdout: ours.stdout.replaceAll('virtune #', 'virsh #') }).toEqual(theirs);
    }
  });

  it.skipIf(skipUnless('virsh'))('does not start when the connection fails, as virsh does', async () => {
    const env = { XDG_CACHE_HOME: home };
    const [theirs, ours] = await Promise.all([runVirsh(['-c', 'nodriver'], env, 'uri\n'), runVirtune(['-c', 'nodriver'], env, 'uri\n')]);
    expect(ours).toEqual(theirs);
    expect(ours.status).toBe(1);
  });

  it.skipIf(skipUnless('virsh'))('changes its prompt when connect changes the read-only mode, as virsh does', async () => {
    const input = 'uri\nconnect test:///default\nuri\nconnect --readonly\nuri\n';
    const env = { XDG_CACHE_HOME: home };
    const args = ['-q', '-r', '-c', 'test:///default'];
    const [theirs, ours] = await Promise.all([runVirsh(args, env, input), runVirtune(args, env, input)]);
    expect({ ...ours, stdout: ours.stdout.replace(/virtune ([#>])/g, 'virsh $1') }).toEqual(theirs);
    expect(ours.stdout).toContain('virtune # uri');
  });

  it('keeps no history file when not on a terminal', () => {
    expect(() => readFileSync(join(home, 'virtune', 'history'))).toThrow();
  });
});

describe.skipIf(!existsSync('/usr/bin/script'))('the interactive shell on a terminal', () => {
  let home: string;
  beforeAll(() => {
    assertBuilt();
    home = mkdtempSync(join(tmpdir(), `virtune-tty-${process.pid}-`));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('saves its history and recalls it with the up arrow in the next session', async () => {
    await onTerminal(['uri\r', 'quit\r'], home);
    expect(readFileSync(join(home, 'virtune', 'history'), 'utf8')).toBe('uri\nquit\n');
    const out = await onTerminal(['\x1b[A\x1b[A\r', 'quit\r'], home);
    expect(out).toContain('test:///default');
  });
});
