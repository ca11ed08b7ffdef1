import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain, VirError } from '../../../src/errors.js';
import { QmpClient, QmpCommandError } from '../../../src/drivers/qemu/qmp-client.js';
import { signalProcess, waitForExit } from '../../../src/drivers/qemu/process.js';
import { skipUnless } from '../../helpers/prereq.js';
import { eventually } from '../../helpers/eventually.js';
import { startNoOsQemu, type NoOsQemu } from './helpers/no-os-qemu.js';

describe.skipIf(skipUnless('qemu'))('QmpClient against a real QEMU', () => {
  let qemu: NoOsQemu;
  let qmp: QmpClient | undefined;

  beforeEach(async () => {
    qemu = await startNoOsQemu();
    qmp = await QmpClient.connect(qemu.socket);
  });
  afterEach(async () => {
    await qmp?.close();
    await qemu.dispose();
  });

  it('reads the greeting and leaves capabilities mode', async () => {
    expect(qmp!.greeting.version.qemu.major).toBeGreaterThanOrEqual(7);
    // query-status is refused in capabilities negotiation mode, so an answer proves qmp_capabilities ran.
    expect(await qmp!.execute('query-status')).toMatchObject({ status: 'running', running: true });
  });

  it('matches concurrent answers to their commands by id', async () => {
    const [balloon, status, name] = await Promise.all([
      qmp!.execute('query-balloon'),
      qmp!.execute('query-status'),
      qmp!.execute('query-name'),
    ]);
    expect(balloon).toEqual({ actual: 64 * 1024 * 1024 });
    expect(status).toMatchObject({ status: 'running' });
    expect(name).toEqual({});
    expect(qmp!.pendingCount).toBe(0);
  });

  it("reports QEMU's error as libvirt's 'unable to execute QEMU command'", async () => {
    const err = await qmp!.execute('no-such-command').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpCommandError);
    expect(err).toMatchObject({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.QEMU,
      qmpClass: 'CommandNotFound',
      message: "internal error: unable to execute QEMU command 'no-such-command': The command no-such-command has not been found",
    });
  });

  it('parses the balloon stats of 2^64-1 exactly', async () => {
    const r = (await qmp!.execute('qom-get', { path: '/machine/peripheral/balloon0', property: 'guest-stats' })) as {
      stats: Record<string, unknown>;
    };
    expect(r.stats['stat-total-memory']).toBe(18446744073709551615n);
  });

  it('delivers events', async () => {
    const stop = qmp!.waitForEvent('STOP', 10_000);
    await qmp!.execute('stop');
    expect((await stop).event).toBe('STOP');
    const resume = qmp!.waitForEvent('RESUME', 10_000);
    await qmp!.execute('cont');
    expect((await resume).timestamp.seconds).toBeGreaterThan(0);
  });

  it('rejects a command at its deadline and ignores its late answer', async () => {
    await signalProcess(qemu.proc, 'SIGSTOP');
    const err = await qmp!.execute('query-balloon', undefined, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirError);
    expect((err as VirError).code).toBe(ErrorCode.OPERATION_TIMEOUT);
    expect(qmp!.pendingCount).toBe(0);
    await signalProcess(qemu.proc, 'SIGCONT');
    // The stale answer to the first command arrives first; it must not be taken for this one's.
    expect(await qmp!.execute('query-status')).toMatchObject({ status: 'running' });
  });

  it('rejects every pending command and waiter when QEMU dies mid-command, then refuses new ones', async () => {
    await signalProcess(qemu.proc, 'SIGSTOP');
    const closed = new Promise<VirError>((r) => qmp!.once('close', r));
    const pending = [
      qmp!.execute('query-balloon', undefined, { timeoutMs: 60_000 }).catch((e: unknown) => e),
      qmp!.execute('query-status', undefined, { timeoutMs: 60_000 }).catch((e: unknown) => e),
      qmp!.waitForEvent('SHUTDOWN', 60_000).catch((e: unknown) => e),
    ];
    expect(qmp!.pendingCount).toBe(2);
    await signalProcess(qemu.proc, 'SIGKILL');
    for (const e of await Promise.all(pending)) {
      expect(e).toBeInstanceOf(VirError);
      expect(e).toMatchObject({ code: ErrorCode.OPERATION_FAILED, message: 'operation failed: End of file from qemu monitor' });
    }
    expect((await closed).code).toBe(ErrorCode.OPERATION_FAILED);
    expect(qmp!.closed).toBe(true);
    expect(qmp!.pendingCount).toBe(0);
    expect(qmp!.listenerCount('event')).toBe(0);
    await expect(qmp!.execute('query-status')).rejects.toMatchObject({ code: ErrorCode.OPERATION_FAILED });
    expect(await waitForExit(qemu.proc, 10_000, qemu.proc.exited)).toBe(true);
  });

  it('sees the SHUTDOWN event and the end of the monitor on quit', async () => {
    const shutdown = qmp!.waitForEvent('SHUTDOWN', 10_000);
    await qmp!.execute('quit');
    expect((await shutdown).data).toEqual({ guest: false, reason: 'host-qmp-quit' });
    expect(await qemu.proc.exited).toEqual({ code: 0, signal: null });
  });

  it('does not greet a second client while the first holds the monitor', async () => {
    const err = await QmpClient.connect(qemu.socket, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.OPERATION_TIMEOUT });
    await qmp!.close();
    qmp = await QmpClient.connect(qemu.socket);
    expect(await qmp.execute('query-status')).toMatchObject({ running: true });
  });
});

describe('QmpClient without QEMU', () => {
  it('gives up on a socket that never appears with a system error', async () => {
    const err = await QmpClient.connect(`/tmp/virtune-no-such-${process.pid}.sock`, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.SYSTEM_ERROR, errno: 'ENOENT' });
    expect((err as VirError).message).toMatch(/^failed to connect to monitor socket: /);
  });
});

/** The inotify watches this process holds (libuv's fs.watch), read from /proc: the one place a watch is visible. */
function inotifyWatches(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fdinfo')) {
    let info: string;
    try {
      info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    } catch {
      continue; // closed between the listing and the read
    }
    n += info.split('\n').filter((l) => l.startsWith('inotify wd:')).length;
  }
  return n;
}

const GREETING = '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}\r\n';

/**
 * A QMP server on a real unix socket: greets (with `firstLine` instead, if given), and answers every command with
 * an empty return. With `greetAfterFirstCommand` it greets only once a command has arrived, as a QEMU whose main
 * loop is not running yet answers only later: a client that waited for the greeting before sending would hang.
 */
function listenLikeQmp(path: string, options: { firstLine?: string; greetAfterFirstCommand?: boolean } = {}): Promise<Server> {
  const server = createServer((sock) => {
    sock.setEncoding('utf8');
    const greet = (): boolean => sock.write(options.firstLine ?? GREETING);
    if (!options.greetAfterFirstCommand) greet();
    let buf = '';
    sock.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const { id } = JSON.parse(buf.slice(0, nl)) as { id?: string };
        buf = buf.slice(nl + 1);
        if (options.greetAfterFirstCommand) {
          options = {};
          greet();
        }
        sock.write(`${JSON.stringify({ return: {}, id })}\r\n`);
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

describe.skipIf(process.platform !== 'linux')('QmpClient waiting for a socket that is not there yet', () => {
  let dir: string;
  let server: Server | undefined;
  let client: QmpClient | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `virtune-qmp-wait-${process.pid}-`));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    if (server) await new Promise((r) => server!.close(r));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('watches the directory, connects once the socket appears, and drops the watch', async () => {
    const before = inotifyWatches();
    const path = join(dir, 'monitor.sock');
    const connecting = QmpClient.connect(path, { timeoutMs: 30_000 });
    // The socket is created only once the client is known to be waiting on its directory.
    await eventually(() => (inotifyWatches() > before ? true : undefined), 10_000, 'the watch on the socket directory');
    server = await listenLikeQmp(path);
    client = await connecting;
    expect(client.greeting.version.qemu.major).toBe(7);
    expect(inotifyWatches()).toBe(before);
  });

  it('finds the socket by polling when its directory does not exist yet', async () => {
    const before = inotifyWatches();
    const sub = join(dir, 'run');
    const path = join(sub, 'monitor.sock');
    const connecting = QmpClient.connect(path, { timeoutMs: 30_000 });
    // Not a wait for anything: lets the first attempts fail before the directory exists (the result is the same
    // whatever the delay).
    await new Promise((r) => setTimeout(r, 20));
    mkdirSync(sub);
    server = await listenLikeQmp(path);
    client = await connecting;
    expect(client.closed).toBe(false);
    expect(inotifyWatches()).toBe(before);
  });

  it('gives up at the deadline with a system error and leaves no watch behind', async () => {
    const before = inotifyWatches();
    const err = await QmpClient.connect(join(dir, 'never.sock'), { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.SYSTEM_ERROR, errno: 'ENOENT' });
    expect(inotifyWatches()).toBe(before);
  });

  it('sends qmp_capabilities without waiting for the greeting, and still reads the greeting first', async () => {
    const path = join(dir, 'monitor.sock');
    server = await listenLikeQmp(path, { greetAfterFirstCommand: true });
    client = await QmpClient.connect(path, { timeoutMs: 30_000 });
    expect(client.greeting.version.qemu.major).toBe(7);
    expect(await client.execute('query-status')).toEqual({});
  });

  it.each([
    ['an answer', '{"return": {}}\r\n'],
    ['a line that is not JSON', 'hello\r\n'],
  ])('refuses a monitor whose first line is %s instead of a greeting', async (_what, firstLine) => {
    const path = join(dir, 'monitor.sock');
    server = await listenLikeQmp(path, { firstLine });
    const err = await QmpClient.connect(path, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirError);
    expect(err).toMatchObject({ code: ErrorCode.INTERNAL_ERROR, domain: ErrorDomain.QEMU, message: `internal error: no QMP greeting on ${path}` });
  });

  it('does not retry what waiting cannot fix', async () => {
    // A socket path under a regular file (ENOTDIR): ENOENT and ECONNREFUSED are retried, this is not.
    writeFileSync(join(dir, 'file'), '');
    const path = join(dir, 'file', 'monitor.sock');
    const before = inotifyWatches();
    const err = await QmpClient.connect(path, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VirError);
    expect(err).toMatchObject({ code: ErrorCode.SYSTEM_ERROR });
    expect(err).toMatchObject({ errno: 'ENOTDIR' });
    expect(inotifyWatches()).toBe(before);
  });
});
