import { describe, expect, it } from 'vitest';
import { momPolicy } from '../../src/autopilot/mom-policy.js';
import type { GuestMemo, GuestView, HostView, PolicyInput } from '../../src/autopilot/policy.js';
import { virtunePolicy } from '../../src/autopilot/virtune-policy.js';
import type { CooperationVerdict } from '../../src/driver.js';

const MiB = 1024;
const UNLIMITED = 2 ** 53 - 1;
const calm: HostView = { memTotalKiB: 8192 * MiB, memAvailableKiB: 6000 * MiB, psiSomeAvg10: 0 };
const squeezed: HostView = { ...calm, memAvailableKiB: 1000 * MiB };
const ok: CooperationVerdict = { state: 'cooperating', reason: 'ok', detail: '', actualKiB: 0n, statsPeriod: 2 };

function guest(over: Partial<GuestView> = {}): GuestView {
  return {
    name: 'g', uuid: 'u', memoryKiB: 512 * MiB, actualKiB: 512 * MiB, minGuaranteeKiB: 0,
    availableKiB: 500 * MiB, usableKiB: 460 * MiB, unusedKiB: 450 * MiB, rssKiB: 140 * MiB,
    softLimitKiB: UNLIMITED, hardLimitKiB: UNLIMITED, verdict: ok, ...over,
  };
}
const input = (g: GuestView, o: Partial<PolicyInput> = {}): PolicyInput => ({ tick: 0, host: calm, guests: [g], memo: new Map(), ...o });

/** Runs a policy over one guest that follows every balloon decision at once, for `n` intervals. */
function simulate(policy: ReturnType<typeof virtunePolicy>, g: GuestView, n: number, host = calm): number[] {
  let memo = new Map<string, GuestMemo>();
  const sizes: number[] = [];
  for (let tick = 0; tick < n; tick++) {
    const out = policy.decide({ tick, host, guests: [g], memo });
    memo = out.memo;
    const a = out.decisions[0]!.action;
    if (a.kind === 'balloon') {
      const used = g.availableKiB! - g.usableKiB!;
      g = { ...g, actualKiB: a.targetKiB, availableKiB: a.targetKiB - 12 * MiB, usableKiB: a.targetKiB - 12 * MiB - used };
    }
    sizes.push(Math.round(g.actualKiB / MiB));
  }
  return sizes;
}

describe('virtune policy', () => {
  it('takes an idle guest down in half-steps to its use plus margin, then holds', () => {
    expect(simulate(virtunePolicy(), guest(), 6)).toEqual([256, 128, 68, 68, 68, 68]);
  });

  it('never goes below min_guarantee', () => {
    expect(simulate(virtunePolicy(), guest({ minGuaranteeKiB: 300 * MiB }), 3)).toEqual([300, 300, 300]);
  });

  it('grows a guest that runs short at once, with room for its growth', () => {
    const d = virtunePolicy().decide(
      input(guest({ actualKiB: 128 * MiB, availableKiB: 120 * MiB, usableKiB: 10 * MiB }), { memo: new Map([['u', { lastUsed: 90 * MiB }]]) }),
    ).decisions[0]!;
    // Needs 118 MiB (128 less 10 usable), 28 more than last time: 118 + 28.3 (24% margin) + 56 (twice the growth).
    expect(d.action).toEqual({ kind: 'balloon', targetKiB: 203 * MiB });
  });

  it('gives memory back on over-ballooning signs and backs off, doubling', () => {
    const p = virtunePolicy();
    const over: CooperationVerdict = { ...ok, state: 'over-ballooned', reason: 'low-usable', detail: 'x' };
    const first = p.decide(input(guest({ actualKiB: 200 * MiB, verdict: over })));
    expect(first.decisions[0]!.action).toEqual({ kind: 'balloon', targetKiB: 250 * MiB });
    expect(first.memo.get('u')).toMatchObject({ backoff: 2, quietUntil: 2 });
    // Within the backoff an idle-looking guest is not shrunk.
    const held = p.decide(input(guest({ actualKiB: 250 * MiB }), { tick: 1, memo: first.memo }));
    expect(held.decisions[0]!.action).toEqual({ kind: 'hold' });
    const again = p.decide(input(guest({ actualKiB: 250 * MiB, verdict: over }), { tick: 2, memo: held.memo }));
    expect(again.memo.get('u')).toMatchObject({ backoff: 4, quietUntil: 6 });
  });

  it('holds a guest that does not co-operate with its cgroup: soft, then hard, then releases', () => {
    const p = virtunePolicy();
    const deaf: CooperationVerdict = { ...ok, state: 'not-cooperating', reason: 'stats-stale', detail: 'x' };
    const g = guest({ verdict: deaf, softLimitKiB: 900 * MiB });
    const one = p.decide(input(g));
    expect(one.decisions[0]!.action).toEqual({ kind: 'soft-limit', kib: 156 * MiB });
    const two = p.decide(input(g, { tick: 1, memo: one.memo }));
    expect(two.decisions[0]!.action).toEqual({ kind: 'hard-limit', kib: 156 * MiB });
    const three = p.decide(input({ ...g, hardLimitKiB: 156 * MiB }, { tick: 2, memo: two.memo }));
    expect(three.decisions[0]!.action).toEqual({ kind: 'hold' });
    const back = p.decide(input(guest(), { tick: 3, memo: three.memo }));
    expect(back.decisions[0]!.action).toEqual({ kind: 'release-limits', softLimitKiB: 900 * MiB, hardLimitKiB: UNLIMITED });
  });

  it('holds guests it cannot judge', () => {
    const unknown: CooperationVerdict = { ...ok, state: 'unknown', reason: 'stats-pending', detail: '' };
    expect(virtunePolicy().decide(input(guest({ verdict: unknown }))).decisions[0]!.action).toEqual({ kind: 'hold' });
  });
});

describe('MoM baseline', () => {
  it('grows 5% per run without host pressure, up to the maximum', () => {
    expect(momPolicy().decide(input(guest({ actualKiB: 400 * MiB }))).decisions[0]!.action).toEqual({ kind: 'balloon', targetKiB: 420 * MiB });
    expect(momPolicy().decide(input(guest())).decisions[0]!.action).toEqual({ kind: 'hold' });
  });

  it('shrinks 5% per run under pressure while the guest has over 20% free, never below the guarantee', () => {
    expect(momPolicy().decide(input(guest(), { host: squeezed })).decisions[0]!.action).toEqual({ kind: 'balloon', targetKiB: 498074 });
    expect(momPolicy({ assumePressure: true }).decide(input(guest())).decisions[0]!.action.kind).toBe('balloon');
    expect(momPolicy().decide(input(guest({ minGuaranteeKiB: 500 * MiB }), { host: squeezed })).decisions[0]!.action).toEqual({
      kind: 'balloon',
      targetKiB: 500 * MiB,
    });
    expect(momPolicy().decide(input(guest({ unusedKiB: 50 * MiB }), { host: squeezed })).decisions[0]!.action).toEqual({ kind: 'hold' });
  });

  it('converges far slower than virtune on an idle guest', () => {
    const mom = simulate(momPolicy({ assumePressure: true }) as ReturnType<typeof virtunePolicy>, guest(), 40);
    expect(mom[5]).toBe(376);
    expect(mom.findIndex((m) => m <= 110)).toBeGreaterThan(20);
  });
});
