import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { DomainEventStoppedDetail, DomainEventType } from '../../../src/events.js';
import { DOMAIN_AFFECT_LIVE, DomainShutoffReason, DomainState } from '../../../src/flags.js';
import { skipUnless } from '../../helpers/prereq.js';
import { buildTestGuest, guestXML, type TestGuest } from '../../fixtures/guest/guest.js';
import { eventually } from '../../helpers/eventually.js';
import { qemuEnvPerTest } from './helpers/env-per-test.js';

const MiB = 1024n;

// Each test waits up to 120 s for the boot and up to 60 s per balloon move (a shared two-core machine under TCG):
// the test timeout must cover the sum, or it, not the named deadline, would be what fails.
describe.skipIf(skipUnless('root', 'qemu', 'cgroup-v1-memory'))('QEMU driver with a cooperating guest', { timeout: 300_000 }, () => {
  let guest: TestGuest;
  const qemu = qemuEnvPerTest('&shutdown_acpi_ms=200');

  beforeAll(() => {
    guest = buildTestGuest();
  }, 15 * 60_000);


  it('inflates the balloon to the target and the cgroup usage drops', async () => {
    const dom = await qemu.conn.defineDomainXML(
      guestXML(guest, { name: 'coop', uuid: '3a1f6c2e-5b7d-4e8f-a9b0-c1d2e3f4a5b6', memoryMiB: 384, fillMiB: 200 }),
    );
    await dom.create();
    await qemu.env.guestReady('coop');
    const r = await dom.reclaimMemory(128n * MiB, { timeoutMs: 60_000, enforce: true });
    expect(r.path).toBe('balloon');
    expect(r.before.balloonKiB).toBe(384n * MiB);
    expect(r.after.balloonKiB).toBeLessThanOrEqual(128n * MiB + 4n);
    // The guest wrote and freed 200 MiB; the balloon hands those pages back to the host.
    expect(r.before.usageKiB! - r.after.usageKiB!).toBeGreaterThan(100n * MiB);
    // The balloon did it: the hard limit was not touched.
    expect(r.after.hardLimitKiB).toBe(r.before.hardLimitKiB);
    expect(qemu.env.events.some((e) => e.kind === 'balloon-change')).toBe(true);
    expect((await dom.getInfo()).memory).toBeLessThanOrEqual(128n * MiB + 4n);
    expect(await dom.getXMLDesc()).toMatch(/<currentMemory unit='KiB'>13107[0-6]<\/currentMemory>/);

    // setMemory gives the memory back through the same balloon.
    await dom.setMemory(256n * MiB, DOMAIN_AFFECT_LIVE);
    await eventually(async () => ((await dom.getInfo()).memory >= 256n * MiB - 4n ? true : undefined), 60_000, 'the balloon to deflate');
  });

  it('starts a guest at its currentMemory through the balloon', async () => {
    const dom = await qemu.conn.defineDomainXML(
      guestXML(guest, { name: 'small', uuid: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', memoryMiB: 256, currentMiB: 160 }),
    );
    await dom.create();
    await qemu.env.guestReady('small');
    expect((await dom.getInfo()).maxMem).toBe(256n * MiB);
    // The target was set before `cont`; the guest's driver gets there once loaded.
    await eventually(async () => ((await dom.getInfo()).memory <= 160n * MiB + 4n ? true : undefined), 60_000, 'the balloon to inflate');
  });

  it('refuses to enforce a limit below what a non-cooperating guest holds, and changes nothing', async () => {
    const dom = await qemu.conn.defineDomainXML(
      guestXML(guest, { name: 'hog', uuid: '5d2e8f1a-3b4c-4d6e-8f9a-0b1c2d3e4f50', memoryMiB: 384, fillMiB: 200, ignoreBalloon: true }),
    );
    await dom.create();
    await qemu.env.guestReady('hog');
    const cg = qemu.env.domainCgroup('hog');
    const err = await dom.reclaimMemory(64n * MiB, { timeoutMs: 500, enforce: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.OPERATION_FAILED, errno: 'EBUSY' });
    expect((err as Error).message).toMatch(/^operation failed: cannot lower the hard limit of domain 'hog' to \d+ KiB: it uses \d+ KiB/);
    expect(readFileSync(join(cg, 'memory.limit_in_bytes'), 'utf8').trim()).toBe('9223372036854771712');
    expect(await dom.isActive()).toBe(true);
    expect(qemu.env.events.some((e) => e.kind === 'tunable')).toBe(false);
  });

  it('reports QEMU killed by a too-low hard limit as crashed', async () => {
    const dom = await qemu.conn.defineDomainXML(
      guestXML(guest, {
        name: 'oom',
        uuid: '7c4b2a19-0d3e-4f56-8a7b-9c0d1e2f3a4b',
        memoryMiB: 512,
        fillMiB: 400,
        memtune: "<memtune><hard_limit unit='MiB'>160</hard_limit></memtune>",
      }),
    );
    const cg = await dom.create().then(() => qemu.env.domainCgroup('oom'));
    expect(readFileSync(join(cg, 'memory.limit_in_bytes'), 'utf8').trim()).toBe(String(160 << 20));
    const stopped = await eventually(
      () => qemu.env.events.find((e) => e.kind === 'lifecycle' && e.event === DomainEventType.STOPPED),
      120_000,
      'QEMU to be OOM-killed',
    );
    expect(stopped).toMatchObject({ detail: DomainEventStoppedDetail.FAILED });
    expect(await dom.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.CRASHED });
    expect(existsSync(cg)).toBe(false);
    // The domain log says why, as libvirt's does ("shutting down, reason=crashed"), and names the OOM killer.
    expect(readFileSync(join(qemu.env.root, 'run', 'qemu', 'oom.log'), 'utf8')).toMatch(/shutting down, reason=crashed \(OOM killer/);
    await expect(dom.reclaimMemory(64n * MiB)).rejects.toMatchObject({ code: ErrorCode.OPERATION_INVALID });
  });
});
