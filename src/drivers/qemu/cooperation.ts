import type { CooperationReason, CooperationState, CooperationVerdict } from '../../driver.js';

/** One reading of the guest's statistics, as the driver took it. */
export interface StatsSample {
  /** When the driver read it (host clock, ms). */
  atMs: number;
  /** QEMU's `last-update`: the host's clock in seconds when the guest last answered; 0 if it never did. */
  lastUpdate: bigint;
  majorFaults?: bigint;
  /** Reported by guests and QEMU builds that know `stat-oom-kills` / `stat-alloc-stalls` (Linux 6.12+, QEMU 9.1+). */
  oomKills?: bigint;
  allocStalls?: bigint;
  /** `stat-available-memory` (libvirt's `usable`), KiB. */
  usableKiB?: number;
}

/** The last balloon target set through this process. */
export interface BalloonTarget {
  kib: number;
  atMs: number;
  /** The balloon's size when the target was set, KiB. */
  actualAtSetKiB: number;
}

/** Everything the verdict rests on. */
export interface CooperationInput {
  nowMs: number;
  hasBalloon: boolean;
  /** The stats period in force, seconds (0: off). */
  statsPeriod: number;
  /** Since when the guest has been asked for statistics at this period (ms), if known. */
  statsSinceMs?: number;
  actualKiB: number;
  /** The domain's boot memory (`<memory>`), KiB: a balloon below it is inflated. */
  memoryKiB: number;
  target?: BalloonTarget;
  /** Readings oldest first; the last one is now's. */
  samples: readonly StatsSample[];
  /** How long a new target may go without the balloon moving toward it, ms. */
  balloonDeadlineMs: number;
}

/** The balloon moves in 4 KiB pages: within a page counts as there. */
const PAGE_KIB = 4;
/** A guest answers once a period; two missed periods and this much slack (TCG on a busy host is slow) is stale. */
const STALE_SLACK_S = 3;
/** Over-ballooning signs count within this window, ms. */
export const SIGN_WINDOW_MS = 60_000;
/** Usable memory below this share of the balloon's size is a squeezed guest. */
const LOW_USABLE_SHARE = 0.05;
/** Major faults count as rising when the recent rate is this many times the earlier one, and at least MIN/s. */
const FAULT_RISE = 2;
const FAULT_RATE_MIN = 10;

/** The default for {@link CooperationInput.balloonDeadlineMs}. */
export const DEFAULT_BALLOON_DEADLINE_MS = 10_000;

/** Stats older than this (seconds) mean the guest stopped answering. */
export function staleAfterS(period: number): number {
  return 2 * period + STALE_SLACK_S;
}

/**
 * Judges whether a guest co-operates with its balloon. In order: no balloon; statistics stale (`last-update` not
 * advancing, or never set); the balloon not moving toward a target older than the deadline; over-ballooning signs
 * in fresh statistics (OOM kills, allocation stalls, rising major faults, almost nothing usable while inflated);
 * a balloon still on its way; nothing to go on; all well.
 */
export function judgeCooperation(input: CooperationInput): CooperationVerdict {
  const { nowMs, statsPeriod, actualKiB, target } = input;
  const latest = input.samples.at(-1);
  const ageS = latest && latest.lastUpdate > 0n ? Math.max(0, nowMs / 1000 - Number(latest.lastUpdate)) : undefined;
  const verdict = (state: CooperationState, reason: CooperationReason, detail: string): CooperationVerdict => ({
    state,
    reason,
    detail,
    // The judging is done in numbers (KiB of a guest are far below 2^53); the verdict speaks the API's bigint.
    actualKiB: BigInt(actualKiB),
    ...(target ? { targetKiB: BigInt(target.kib) } : {}),
    statsPeriod,
    ...(ageS === undefined ? {} : { statsAgeS: Math.round(ageS) }),
  });

  if (!input.hasBalloon) return verdict('not-cooperating', 'no-balloon', 'the domain has no balloon device');

  const fresh = statsPeriod > 0 && ageS !== undefined && ageS <= staleAfterS(statsPeriod);
  if (statsPeriod > 0 && !fresh) {
    const since = input.statsSinceMs ?? input.samples[0]?.atMs ?? nowMs;
    if (ageS !== undefined) {
      return verdict('not-cooperating', 'stats-stale', `the guest's last statistics are ${Math.round(ageS)} s old (period ${statsPeriod} s)`);
    }
    const waitedS = (nowMs - since) / 1000;
    if (waitedS > staleAfterS(statsPeriod)) {
      return verdict('not-cooperating', 'stats-stale', `the guest has not reported statistics in ${Math.round(waitedS)} s (period ${statsPeriod} s)`);
    }
  }

  const pending = target !== undefined && Math.abs(actualKiB - target.kib) > PAGE_KIB;
  const moved = pending && Math.abs(target.actualAtSetKiB - target.kib) - Math.abs(actualKiB - target.kib) > PAGE_KIB;
  if (pending) {
    if (!moved && nowMs - target.atMs > input.balloonDeadlineMs) {
      return verdict(
        'not-cooperating',
        'balloon-stuck',
        `the balloon stayed at ${actualKiB} KiB, target ${target.kib} KiB set ${Math.round((nowMs - target.atMs) / 1000)} s ago`,
      );
    }
  }

  if (fresh && latest) {
    const sign = overBallooningSign(input, latest);
    if (sign) return verdict('over-ballooned', sign.reason, sign.detail);
  }

  if (pending && moved) return verdict('cooperating', 'balloon-moving', `the balloon is at ${actualKiB} KiB, moving toward ${target.kib} KiB`);
  if (pending) {
    // Within its deadline a balloon that has not moved yet proves nothing; fresh statistics say the driver answers.
    return verdict(fresh ? 'cooperating' : 'unknown', 'balloon-pending', `the balloon has ${Math.round((nowMs - target.atMs) / 1000)} s of its deadline to move toward ${target.kib} KiB`);
  }
  if (statsPeriod === 0) return verdict('unknown', 'stats-off', 'statistics are off and no balloon target is pending');
  if (!fresh) return verdict('unknown', 'stats-pending', 'waiting for the guest\'s first statistics');
  return verdict('cooperating', 'ok', `the guest reports every ${statsPeriod} s and its balloon is where it was asked to be`);
}

/** The first over-ballooning sign in the readings of the last {@link SIGN_WINDOW_MS}, if any. */
function overBallooningSign(
  input: CooperationInput,
  latest: StatsSample,
): { reason: CooperationReason; detail: string } | undefined {
  // Only readings the guest actually refreshed count; the same report read twice says nothing new.
  const window = distinctReports(input.samples.filter((s) => input.nowMs - s.atMs <= SIGN_WINDOW_MS));
  const first = window[0];
  const rise = (pick: (s: StatsSample) => bigint | undefined): bigint => {
    const a = first && pick(first);
    const b = pick(latest);
    return a !== undefined && b !== undefined && b > a ? b - a : 0n;
  };
  const ooms = rise((s) => s.oomKills);
  if (ooms > 0n) return { reason: 'oom-kills', detail: `the guest OOM-killed ${ooms} process(es) in the last minute` };
  const stalls = rise((s) => s.allocStalls);
  if (stalls > 0n) return { reason: 'alloc-stalls', detail: `the guest stalled on allocation ${stalls} time(s) in the last minute` };
  if (window.length >= 3) {
    const mid = window[Math.floor(window.length / 2)]!;
    const rate = (a: StatsSample, b: StatsSample): number | undefined =>
      a.majorFaults !== undefined && b.majorFaults !== undefined && b.lastUpdate > a.lastUpdate
        ? Number(b.majorFaults - a.majorFaults) / Number(b.lastUpdate - a.lastUpdate)
        : undefined;
    const before = rate(first!, mid);
    const recent = rate(mid, latest);
    if (before !== undefined && recent !== undefined && recent >= FAULT_RATE_MIN && recent > FAULT_RISE * before) {
      return { reason: 'major-faults-rising', detail: `major faults rose from ${before.toFixed(1)}/s to ${recent.toFixed(1)}/s` };
    }
  }
  const inflated = input.actualKiB < input.memoryKiB;
  if (inflated && latest.usableKiB !== undefined && latest.usableKiB < input.actualKiB * LOW_USABLE_SHARE) {
    return { reason: 'low-usable', detail: `the guest has ${latest.usableKiB} KiB usable of ${input.actualKiB} KiB` };
  }
  return undefined;
}

function distinctReports(samples: readonly StatsSample[]): StatsSample[] {
  const out: StatsSample[] = [];
  for (const s of samples) if (s.lastUpdate > 0n && s.lastUpdate !== out.at(-1)?.lastUpdate) out.push(s);
  return out;
}
