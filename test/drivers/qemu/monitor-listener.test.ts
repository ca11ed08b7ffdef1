import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { listenMonitor } from '../../../src/drivers/qemu/monitor-listener.js';

/** Reads what a server at `path` sends a new connection, up to its first newline. */
function firstLine(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    let buf = '';
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.includes('\n')) {
        s.destroy();
        resolve(buf.slice(0, buf.indexOf('\n')));
      }
    });
    s.on('error', reject);
  });
}

describe.skipIf(process.platform !== 'linux')('listenMonitor', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `virtune-monitor-${process.pid}-`));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands the listening socket to a child, which serves it at the same path after ours is closed', async () => {
    const path = join(dir, 'vm1.monitor');
    const monitor = await listenMonitor(path);
    // A child that greets every connection on the socket it finds at fd 3, as QEMU does with `fd=3`.
    const child = spawn(
      process.execPath,
      ['-e', "require('net').createServer((s) => s.end('greeting\\n')).listen({ fd: 3 })"],
      { stdio: ['ignore', 'ignore', 'inherit', monitor.fd] },
    );
    try {
      monitor.handOver();
      expect(existsSync(path)).toBe(true);
      // Connected before or after the child is ready, the connection waits in the socket's queue for it.
      expect(await firstLine(path)).toBe('greeting');
      expect(await firstLine(path)).toBe('greeting');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('removes the path when closed without a hand-over', async () => {
    const path = join(dir, 'vm1.monitor');
    const monitor = await listenMonitor(path);
    expect(existsSync(path)).toBe(true);
    monitor.close();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a path that is taken with a system error', async () => {
    const path = join(dir, 'vm1.monitor');
    writeFileSync(path, '');
    await expect(listenMonitor(path)).rejects.toMatchObject({
      code: ErrorCode.SYSTEM_ERROR,
      domain: ErrorDomain.QEMU,
      errno: 'EADDRINUSE',
      message: expect.stringContaining(`cannot listen on monitor socket '${path}'`),
    });
  });
});
