import {
  UNLIMITED_KIB,
  guestUsedKiB,
  hostUnderPressure,
  type Decision,
  type GuestMemo,
  type GuestView,
  type Policy,
  type PolicyInput,
  type PolicyOutput,
} from './policy.js';

const MiB = 1024;

/** The knobs of {@link virtunePolicy}; every size in KiB. */
export interface VirtunePolicyOptions {
  /** Headroom left above what a guest uses, as a share of its use and at least `minMarginKiB`. */
  marginShare: number;
  minMarginKiB: number;
  /** Under host pressure the headroom shrinks by this factor. */
  pressureMarginFactor: number;
  /** Never below this (nor below min_guarantee). */
  floorKiB: number;
  /** A shrink smaller than this (and than `hysteresisShare` of the balloon) is not worth a change. */
  hysteresisKiB: number;
  hysteresisShare: number;
  /** At most this share of the balloon is taken in one interval. */
  maxShrinkShare: number;
  /** Intervals without shrinking after over-ballooning signs; doubles on each new sign, up to `maxBackoff`. */
  backoff: number;
  maxBackoff: number;
  /** What a non-cooperating guest is held at above its RSS when its hard limit is set. */
  holdHeadroomKiB: number;
}

export const DEFAULT_VIRTUNE_POLICY: VirtunePolicyOptions = {
  // 0.24 of use: a little under MoM's rule (20% of the balloon free, i.e. 25% of use), so it never keeps more.
  marginShare: 0.24,
  minMarginKiB: 16 * MiB,
  pressureMarginFactor: 0.6,
  floorKiB: 64 * MiB,
  hysteresisKiB: 8 * MiB,
  hysteresisShare: 0.04,
  maxShrinkShare: 0.5,
  backoff: 2,
  maxBackoff: 16,
  holdHeadroomKiB: 16 * MiB,
};

/**
 * virtune's policy. Co-operating guests get a balloon target of what they use plus a margin that grows with their
 * recent growth (so a guest filling memory keeps ahead of the balloon), taken in at most half-steps with
 * hysteresis, given back at once when the guest runs short. Over-ballooning signs give memory back and stop
 * shrinking for a backoff that doubles. A guest that does not co-operate is held by its cgroup: the soft limit at
 * its footprint, then the hard limit; limits are released when it co-operates again. min_guarantee is a floor.
 */
export function virtunePolicy(options: Partial<VirtunePolicyOptions> = {}): Policy {
  const o = { ...DEFAULT_VIRTUNE_POLICY, ...options };
  return {
    name: 'virtune',
    decide(input: PolicyInput): PolicyOutput {
      const pressure = hostUnderPressure(input.host);
      const memo = new Map<string, GuestMemo>();
      const decisions = input.guests.map((g) => {
        const prev = input.memo.get(g.uuid) ?? {};
        const { decision, next } = decideGuest(g, prev, input.tick, pressure, o);
        memo.set(g.uuid, next);
        return decision;
      });
      return { decisions, memo };
    },
  };
}

function decideGuest(
  g: GuestView,
  prev: GuestMemo,
  tick: number,
  pressure: boolean,
  o: VirtunePolicyOptions,
): { decision: Decision; next: GuestMemo } {
  const say = (action: Decision['action'], reason: string, next: GuestMemo = prev) => ({
    decision: { uuid: g.uuid, name: g.name, action, reason },
    next,
  });
  const v = g.verdict;
  const escalation = typeof prev.escalation === 'number' ? prev.escalation : 0;

  if (v.state === 'not-cooperating') {
    const rss = g.rssKiB ?? g.actualKiB;
    const hold = roundUp(rss + o.holdHeadroomKiB);
    if (escalation === 0) {
      return say({ kind: 'soft-limit', kib: hold }, `${v.reason}: soft limit at its footprint (${mib(hold)})`, {
        ...prev,
        escalation: 1,
        savedSoft: g.softLimitKiB,
        savedHard: g.hardLimitKiB,
      });
    }
    if (escalation === 1 && g.hardLimitKiB >= UNLIMITED_KIB) {
      return say({ kind: 'hard-limit', kib: hold }, `${v.reason}, still: hard limit at its footprint (${mib(hold)})`, { ...prev, escalation: 2 });
    }
    return say({ kind: 'hold' }, `${v.reason}: held by its cgroup`);
  }

  if (escalation > 0 && v.state === 'cooperating') {
    const soft = typeof prev.savedSoft === 'number' ? prev.savedSoft : UNLIMITED_KIB;
    const hard = typeof prev.savedHard === 'number' ? prev.savedHard : UNLIMITED_KIB;
    return say({ kind: 'release-limits', softLimitKiB: soft, hardLimitKiB: hard }, 'co-operates again: limits released', { escalation: 0 });
  }

  const used = guestUsedKiB(g);
  if (v.state === 'over-ballooned') {
    const backoff = Math.min(o.maxBackoff, typeof prev.backoff === 'number' ? prev.backoff * 2 : o.backoff);
    const target = Math.min(g.memoryKiB, roundUp(g.actualKiB + Math.max(o.minMarginKiB, g.actualKiB * 0.25)));
    const next = { ...prev, backoff, quietUntil: tick + backoff, lastUsed: used };
    if (target <= g.actualKiB) return say({ kind: 'hold' }, `${v.reason}: nothing left to give back`, next);
    return say({ kind: 'balloon', targetKiB: target }, `${v.detail}: giving back, no shrinking for ${backoff} intervals`, next);
  }
  if (v.state !== 'cooperating' || used === undefined) return say({ kind: 'hold' }, `${v.reason}: nothing to go on`);

  // Growth since the last interval, kept for two intervals ahead: the margin a steadily growing guest needs.
  const lastUsed = typeof prev.lastUsed === 'number' ? prev.lastUsed : used;
  const growth = Math.max(0, used - lastUsed);
  const margin = Math.max(o.minMarginKiB, used * o.marginShare) * (pressure ? o.pressureMarginFactor : 1) + 2 * growth;
  const floor = Math.max(o.floorKiB, g.minGuaranteeKiB);
  const want = Math.min(g.memoryKiB, Math.max(floor, roundUp(used + margin)));
  const next: GuestMemo = { ...prev, lastUsed: used };

  if (want > g.actualKiB + o.hysteresisKiB / 2) {
    return say({ kind: 'balloon', targetKiB: want }, `uses ${mib(used)}, needs ${mib(want)} with its margin: growing`, next);
  }
  const quietUntil = typeof prev.quietUntil === 'number' ? prev.quietUntil : -1;
  if (tick < quietUntil) return say({ kind: 'hold' }, `backing off after over-ballooning until interval ${quietUntil}`, next);
  const gap = g.actualKiB - want;
  if (gap < Math.max(o.hysteresisKiB, g.actualKiB * o.hysteresisShare)) {
    return say({ kind: 'hold' }, `uses ${mib(used)}, at ${mib(g.actualKiB)}: steady`, { ...next, backoff: undefined });
  }
  const target = Math.max(want, roundUp(g.actualKiB * (1 - o.maxShrinkShare)));
  return say({ kind: 'balloon', targetKiB: target }, `uses ${mib(used)} of ${mib(g.actualKiB)}: taking back ${mib(g.actualKiB - target)}`, next);
}

function roundUp(kib: number): number {
  return Math.ceil(kib / 1024) * 1024;
}

function mib(kib: number): string {
  return `${Math.round(kib / 1024)} MiB`;
}
