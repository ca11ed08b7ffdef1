import { describe, expect, it } from 'vitest';
import { judgeCooperation, type CooperationInput, type StatsSample } from '../../../src/drivers/qemu/cooperation.js';

const NOW = 1_800_000_000_000;
const S = (agoS: number, extra: Partial<StatsSample> = {}): StatsSample => ({
  atMs: NOW - agoS * 1000,
  lastUpdate: BigInt(Math.floor((NOW - agoS * 1000) / 1000)),
  ...extra,
});
const base: CooperationInput = {
  nowMs: NOW,
  hasBalloon: true,
  statsPeriod: 2,
  actualKiB: 262144,
  memoryKiB: 524288,
  samples: [S(0, { usableKiB: 100_000 })],
  balloonDeadlineMs: 10_000,
};
const judge = (over: Partial<CooperationInput>) => judgeCooperation({ ...base, ...over });

describe('the cooperation verdict', () => {
  it('is ok for fresh statistics and a balloon at its target', () => {
    expect(judge({ target: { kib: 262144, atMs: NOW - 60_000, actualAtSetKiB: 524288 } })).toMatchObject({
      state: 'cooperating',
      reason: 'ok',
      statsAgeS: 0,
      targetKiB: 262144n,
    });
  });

  it('has no balloon', () => {
    expect(judge({ hasBalloon: false })).toMatchObject({ state: 'not-cooperating', reason: 'no-balloon' });
  });

  it('is stale when last-update stops: after two periods and the slack, not before', () => {
    expect(judge({ samples: [S(7)] }).reason).toBe('ok');
    expect(judge({ samples: [S(8)] })).toMatchObject({ state: 'not-cooperating', reason: 'stats-stale', statsAgeS: 8 });
  });

  it('waits for a first report, then calls a silent guest stale', () => {
    const never = (sinceS: number) => judge({ statsSinceMs: NOW - sinceS * 1000, samples: [{ atMs: NOW, lastUpdate: 0n }] });
    expect(never(5)).toMatchObject({ state: 'unknown', reason: 'stats-pending' });
    expect(never(8)).toMatchObject({ state: 'not-cooperating', reason: 'stats-stale' });
  });

  it('calls a balloon stuck only after its deadline, and only when it has not moved', () => {
    const t = (agoMs: number, actualAtSetKiB = 262144) => ({ target: { kib: 131072, atMs: NOW - agoMs, actualAtSetKiB } });
    expect(judge({ ...t(5_000), statsPeriod: 0, samples: [] })).toMatchObject({ state: 'unknown', reason: 'balloon-pending' });
    expect(judge(t(5_000))).toMatchObject({ state: 'cooperating', reason: 'balloon-pending' });
    expect(judge(t(11_000))).toMatchObject({ state: 'not-cooperating', reason: 'balloon-stuck' });
    expect(judge(t(11_000, 400_000))).toMatchObject({ state: 'cooperating', reason: 'balloon-moving' });
    expect(judge({ statsPeriod: 0, samples: [] })).toMatchObject({ state: 'unknown', reason: 'stats-off' });
  });

  it('sees over-ballooning: OOM kills, allocation stalls, rising major faults, nothing usable', () => {
    expect(judge({ samples: [S(30, { oomKills: 1n }), S(0, { oomKills: 3n })] })).toMatchObject({
      state: 'over-ballooned',
      reason: 'oom-kills',
      detail: 'the guest OOM-killed 2 process(es) in the last minute',
    });
    // A kill older than the window no longer counts.
    expect(judge({ samples: [S(90, { oomKills: 1n }), S(30, { oomKills: 3n }), S(0, { oomKills: 3n })] }).reason).toBe('ok');
    expect(judge({ samples: [S(20, { allocStalls: 0n }), S(0, { allocStalls: 5n })] }).reason).toBe('alloc-stalls');
    const faults = [S(40, { majorFaults: 0n }), S(20, { majorFaults: 20n }), S(0, { majorFaults: 1000n })];
    expect(judge({ samples: faults })).toMatchObject({ reason: 'major-faults-rising', detail: 'major faults rose from 1.0/s to 49.0/s' });
    const steady = [S(40, { majorFaults: 0n }), S(20, { majorFaults: 1000n }), S(0, { majorFaults: 2000n })];
    expect(judge({ samples: steady }).reason).toBe('ok');
    expect(judge({ samples: [S(0, { usableKiB: 10_000 })] })).toMatchObject({ state: 'over-ballooned', reason: 'low-usable' });
    // Not inflated: a full guest is its own business.
    expect(judge({ actualKiB: 524288, samples: [S(0, { usableKiB: 10_000 })] }).reason).toBe('ok');
    // Stale statistics show no signs.
    expect(judge({ samples: [S(30, { oomKills: 1n }), S(20, { oomKills: 3n })] }).reason).toBe('stats-stale');
  });
});
