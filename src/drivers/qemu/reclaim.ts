import type { ReclaimOptions, ReclaimResult } from '../../driver.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { queryBalloonKiB, setBalloonKiB } from './balloon.js';
import type { QmpClient } from './qmp-client.js';

/** How long a guest gets to reach the target when the caller names no deadline, ms. */
export const DEFAULT_RECLAIM_TIMEOUT_MS = 10_000;
// The guest balloons in 4 KiB pages, so a target that is not a whole page is reached to within one.
const PAGE_KIB = 4n;
// Between BALLOON_CHANGE events QEMU may hold back updates; a query at this period catches up regardless.
const POLL_MS = 500;

/** What reclaim needs from the running domain; the driver supplies it. */
export interface ReclaimSubject {
  name: string;
  qmp: QmpClient;
  /** cgroup v1 refuses a limit below usage (EBUSY); v2 accepts it and OOM-kills, so it is checked first. */
  cgroupVersion: 'v1' | 'v2';
  /** The cgroup's memory usage now, KiB. */
  usageKiB(): bigint;
  /** The live hard limit the kernel holds, KiB (UNLIMITED when none). */
  hardLimitKiB(): bigint;
  /** QEMU's own memory on top of guest RAM, KiB, measured now. */
  overheadKiB(usageKiB: bigint): Promise<bigint>;
  /** Sets the live hard limit through the memtune path (ordered cgroup writes, saved definition, memlock). */
  setHardLimitKiB(kib: bigint): Promise<void>;
}

/**
 * Design 2: take memory back from a running guest. The balloon goes first — it is the only way to get pages back
 * without harming the guest — and its progress is followed through BALLOON_CHANGE events and `query-balloon`
 * until it reaches `targetKiB` or the deadline passes. If it does not get there and `enforce` is set, the cgroup
 * hard limit is lowered to the target plus QEMU's measured overhead: the guest cannot grow past it any more.
 *
 * On a failed enforcement the balloon target is put back, so the call leaves the domain as it found it.
 *
 * @throws VirError OPERATION_FAILED when the hard limit cannot be lowered (the guest holds more than it, and the
 * kernel cannot reclaim guest RAM without swap).
 */
export async function reclaimMemory(
  subject: ReclaimSubject,
  targetKiB: bigint,
  options: ReclaimOptions,
): Promise<ReclaimResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_RECLAIM_TIMEOUT_MS;
  const { qmp } = subject;
  const before = {
    balloonKiB: await queryBalloonKiB(qmp),
    usageKiB: subject.usageKiB(),
    hardLimitKiB: subject.hardLimitKiB(),
  };
  const snapshot = async (): Promise<ReclaimResult['after']> => ({
    balloonKiB: await queryBalloonKiB(qmp),
    usageKiB: subject.usageKiB(),
    hardLimitKiB: subject.hardLimitKiB(),
  });
  const result = (path: ReclaimResult['path'], after: ReclaimResult['after']): ReclaimResult => ({
    path,
    targetKiB,
    before,
    after,
    elapsedMs: Date.now() - started,
  });

  // Reclaim never gives memory back: a guest already at or below the target keeps its balloon where it is.
  if (before.balloonKiB <= targetKiB) return result('balloon', await snapshot());

  await setBalloonKiB(qmp, targetKiB);
  if (await waitForBalloon(qmp, targetKiB, started + timeoutMs)) return result('balloon', await snapshot());
  if (!options.enforce) return result('none', await snapshot());

  const usage = subject.usageKiB();
  const limit = roundUpToPage(targetKiB + (await subject.overheadKiB(usage)));
  if (limit < subject.hardLimitKiB()) {
    // v2 would take the write and OOM-kill QEMU; v1 refuses it with EBUSY. Either way the answer is the same error.
    const refused = subject.cgroupVersion === 'v2' && usage > limit;
    try {
      if (refused) throw busy(subject.name, limit, usage);
      await subject.setHardLimitKiB(limit);
    } catch (e) {
      await setBalloonKiB(qmp, before.balloonKiB).catch(() => undefined);
      if (!refused && e instanceof VirError && e.errno === 'EBUSY') throw busy(subject.name, limit, usage, e);
      throw e;
    }
  }
  return result('cgroup', await snapshot());
}

/** Follows the balloon until it is within a page of `targetKiB`; false at the deadline. */
async function waitForBalloon(qmp: QmpClient, targetKiB: bigint, deadline: number): Promise<boolean> {
  for (;;) {
    if ((await queryBalloonKiB(qmp)) <= targetKiB + PAGE_KIB) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    try {
      await qmp.waitForEvent('BALLOON_CHANGE', Math.min(left, POLL_MS));
    } catch (e) {
      if (!(e instanceof VirError && e.code === ErrorCode.OPERATION_TIMEOUT)) throw e;
    }
  }
}

function roundUpToPage(kib: bigint): bigint {
  return ((kib + PAGE_KIB - 1n) / PAGE_KIB) * PAGE_KIB;
}

function busy(name: string, limitKiB: bigint, usageKiB: bigint, cause?: VirError): VirError {
  return new VirError(
    ErrorCode.OPERATION_FAILED,
    ErrorDomain.QEMU,
    `cannot lower the hard limit of domain '${name}' to ${limitKiB} KiB: it uses ${usageKiB} KiB that the guest ` +
      'did not give back and the kernel cannot reclaim',
    { errno: 'EBUSY', ...(cause ? { cause } : {}) },
  );
}
