import type { CooperationOptions, CooperationVerdict, DomainMemoryStat } from '../../driver.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { queryBalloonKiB } from './balloon.js';
import { memoryStatsOf, processRssKiB, readGuestStats, type GuestStats } from './balloon-stats.js';
import { balloonWatch, recordSample } from './balloon-watch.js';
import { DEFAULT_BALLOON_DEADLINE_MS, judgeCooperation } from './cooperation.js';
import type { QmpClient } from './qmp-client.js';
import type { QemuRuntime } from './runtime.js';

/** Reads the balloon and the guest's statistics, and keeps the reading for the cooperation verdict. */
async function readBalloon(qmp: QmpClient): Promise<{ actualKiB: bigint; guest: GuestStats }> {
  const actualKiB = await queryBalloonKiB(qmp);
  const guest = await readGuestStats(qmp);
  const usable = guest.stats['stat-available-memory'];
  recordSample(balloonWatch(qmp), {
    atMs: Date.now(),
    lastUpdate: guest.lastUpdate,
    ...optional('majorFaults', guest.stats['stat-major-faults']),
    ...optional('oomKills', guest.stats['stat-oom-kills']),
    ...optional('allocStalls', guest.stats['stat-alloc-stalls']),
    ...optional('usableKiB', usable === undefined ? undefined : Number(usable / 1024n)),
  });
  return { actualKiB, guest };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * qemuDomainMemoryStats: `actual` and the guest's figures from the balloon (when the domain has one), then QEMU's
 * `rss`. The balloon's size also becomes the live `<currentMemory>`, as libvirt keeps it.
 */
export async function qemuMemoryStats(qmp: () => Promise<QmpClient>, rt: QemuRuntime, live: DomainDef): Promise<DomainMemoryStat[]> {
  let actualKiB: bigint | undefined;
  let guest: GuestStats | undefined;
  if (rt.hasBalloon) {
    ({ actualKiB, guest } = await readBalloon(await qmp()));
    live.currentMemory = actualKiB;
  }
  const rss = await processRssKiB(rt.proc.pid);
  if (rss === undefined) throw new VirError(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, 'cannot get RSS for domain');
  return memoryStatsOf(actualKiB, guest, rss);
}

/** The cooperation verdict for a running domain: reads the balloon now and judges it with what came before. */
export async function qemuCooperation(
  qmp: () => Promise<QmpClient>,
  rt: QemuRuntime,
  live: DomainDef,
  options: CooperationOptions,
): Promise<CooperationVerdict> {
  const deadline = options.balloonDeadlineMs ?? DEFAULT_BALLOON_DEADLINE_MS;
  if (!Number.isFinite(deadline) || deadline < 0) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, `balloon deadline must be a non-negative number of ms, not ${String(deadline)}`);
  }
  const input = { nowMs: Date.now(), statsPeriod: live.devices.memballoon?.statsPeriod ?? 0, memoryKiB: Number(live.memory), balloonDeadlineMs: deadline };
  if (!rt.hasBalloon) return judgeCooperation({ ...input, hasBalloon: false, actualKiB: Number(live.currentMemory), samples: [] });
  const monitor = await qmp();
  const { actualKiB } = await readBalloon(monitor);
  const watch = balloonWatch(monitor);
  return judgeCooperation({
    ...input,
    nowMs: Date.now(),
    hasBalloon: true,
    actualKiB: Number(actualKiB),
    ...(watch.target ? { target: watch.target } : {}),
    ...(watch.statsSinceMs === undefined ? {} : { statsSinceMs: watch.statsSinceMs }),
    samples: watch.samples,
  });
}
