import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain, VirError } from '../../../src/errors.js';
import { QmpClient, QmpCommandError } from '../../../src/drivers/qemu/qmp-client.js';
import { signalProcess, waitForExit } from '../../../src/drivers/qemu/process.js';
import { skipUnless } from '../../helpers/prereq.js';
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
