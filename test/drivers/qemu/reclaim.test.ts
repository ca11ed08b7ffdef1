import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain, VirError } from '../../../src/errors.js';
import { QmpClient } from '../../../src/drivers/qemu/qmp-client.js';
import { reclaimMemory, type ReclaimSubject } from '../../../src/drivers/qemu/reclaim.js';
import { UNLIMITED } from '../../../src/memory/params.js';
import { skipUnless } from '../../helpers/prereq.js';
import { startNoOsQemu, type NoOsQemu } from './helpers/no-os-qemu.js';

const MiB = 1024n;

// The policy's branches, on a real QEMU whose balloon never moves; the cgroup side is a plain record here, so
// the cases the kernel makes hard to reach (v2, a write refused with EBUSY) are all covered.
describe.skipIf(skipUnless('qemu'))('reclaimMemory policy', () => {
  let qemu: NoOsQemu;
  let qmp: QmpClient;

  beforeAll(async () => {
    qemu = await startNoOsQemu({ memMiB: 128 });
    qmp = await QmpClient.connect(qemu.socket);
  });
  afterAll(async () => {
    await qmp.close();
    await qemu.dispose();
  });

  function subject(o: { version: 'v1' | 'v2'; usage: bigint; hard?: bigint; overhead?: bigint; write?: (kib: bigint) => void }) {
    const state = { hard: o.hard ?? UNLIMITED, usage: o.usage };
    const s: ReclaimSubject = {
      name: 'vm',
      qmp,
      cgroupVersion: o.version,
      usageKiB: () => state.usage,
      hardLimitKiB: () => state.hard,
      overheadKiB: async () => o.overhead ?? 10n * MiB,
      setHardLimitKiB: async (kib) => {
        o.write?.(kib);
        state.hard = kib;
      },
    };
    return { s, state };
  }

  it('lowers the hard limit to target plus overhead, rounded up to a page', async () => {
    const { s, state } = subject({ version: 'v1', usage: 30n * MiB, overhead: 10n * MiB + 1n });
    const r = await reclaimMemory(s, 64n * MiB, { timeoutMs: 0, enforce: true });
    expect(r.path).toBe('cgroup');
    expect(state.hard).toBe(74n * MiB + 4n);
    expect(r.after.hardLimitKiB).toBe(74n * MiB + 4n);
    expect(r.before.hardLimitKiB).toBe(UNLIMITED);
  });

  it('leaves a hard limit that is already lower alone', async () => {
    const { s, state } = subject({ version: 'v1', usage: 30n * MiB, hard: 50n * MiB });
    const r = await reclaimMemory(s, 64n * MiB, { timeoutMs: 0, enforce: true });
    expect(r.path).toBe('cgroup');
    expect(state.hard).toBe(50n * MiB);
  });

  it('on v2, refuses a limit below usage instead of letting the kernel OOM-kill QEMU', async () => {
    const { s, state } = subject({ version: 'v2', usage: 500n * MiB });
    const err = await reclaimMemory(s, 64n * MiB, { timeoutMs: 0, enforce: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.OPERATION_FAILED, domain: ErrorDomain.QEMU, errno: 'EBUSY' });
    expect((err as Error).message).toBe(
      "operation failed: cannot lower the hard limit of domain 'vm' to 75776 KiB: it uses 512000 KiB that the guest did not give back and the kernel cannot reclaim",
    );
    expect((err as VirError).cause).toBeUndefined();
    expect(state.hard).toBe(UNLIMITED);
  });

  it("on v1, turns the kernel's EBUSY into the same error", async () => {
    const { s, state } = subject({
      version: 'v1',
      usage: 500n * MiB,
      write: () => {
        throw new VirError(ErrorCode.SYSTEM_ERROR, ErrorDomain.CGROUP, "Unable to write to 'x': Device or resource busy", { errno: 'EBUSY' });
      },
    });
    const err = await reclaimMemory(s, 64n * MiB, { timeoutMs: 0, enforce: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.OPERATION_FAILED, errno: 'EBUSY' });
    expect((err as VirError).cause).toMatchObject({ code: ErrorCode.SYSTEM_ERROR });
    expect(state.hard).toBe(UNLIMITED);
  });

  it('passes any other failure through unchanged', async () => {
    const boom = new VirError(ErrorCode.SYSTEM_ERROR, ErrorDomain.CGROUP, 'Unable to write to x: Invalid argument', { errno: 'EINVAL' });
    const { s } = subject({ version: 'v1', usage: 1n, write: () => { throw boom; } });
    await expect(reclaimMemory(s, 64n * MiB, { timeoutMs: 0, enforce: true })).rejects.toBe(boom);
  });

  it('reports path none without enforce, and balloon when the guest is already at the target', async () => {
    const { s } = subject({ version: 'v1', usage: 30n * MiB });
    expect((await reclaimMemory(s, 64n * MiB, { timeoutMs: 0 })).path).toBe('none');
    const at = await reclaimMemory(s, 128n * MiB, { timeoutMs: 0, enforce: true });
    expect(at).toMatchObject({ path: 'balloon', before: { balloonKiB: 128n * MiB }, after: { balloonKiB: 128n * MiB } });
  });
});
