// bench/lib/stats.js: the paired rounds the remote suite's open rows are read from.
import { describe, expect, it } from 'vitest';
import { medianRound, pairedRounds } from '../../bench/lib/stats.js';

describe('medianRound', () => {
  it('gives the figures of the round whose ratio is the median, not the ratio of the two medians', () => {
    // Ratios per round: 0.5, 2, 0.9, 1.1, 0.8 -> median 0.9 (round 2). The medians of each side (3 and 4) would
    // say 0.75.
    const a = [1, 4, 9, 2.2, 3];
    const b = [2, 2, 10, 2, 3.75];
    const m = medianRound(a, b);
    expect(m).toMatchObject({ a: 9, b: 10, rounds: 5 });
    expect(m!.ratio).toBeCloseTo(0.9);
    expect(m!.low).toBeCloseTo(0.8);
    expect(m!.high).toBeCloseTo(1.1);
  });

  it('takes the lower middle round of an even count, pairs only rounds both sides have, and is null for none', () => {
    const m = medianRound([1, 3, 2, 4, 7], [1, 1, 1, 1]);
    expect(m).toMatchObject({ a: 2, b: 1, rounds: 4 });
    expect(medianRound([], [1])).toBeNull();
  });
});

describe('pairedRounds', () => {
  it('runs the two sides back to back, alternating which goes first, then the others', async () => {
    const order: string[] = [];
    const side = (name: string, figure: number) => async (r: number) => {
      order.push(`${name}${r}`);
      return figure;
    };
    const out = await pairedRounds(3, { a: side('a', 2), b: side('b', 4), floor: side('f', 1) });
    expect(order).toEqual(['a0', 'b0', 'f0', 'b1', 'a1', 'f1', 'a2', 'b2', 'f2']);
    expect(out.a).toEqual([2, 2, 2]);
    expect(out.floor).toEqual([1, 1, 1]);
    expect(out.paired).toMatchObject({ a: 2, b: 4, ratio: 0.5 });
  });

  it('ends the rounds of a side that throws and keeps its error; no pair without both sides', async () => {
    const boom = new Error('gone');
    let calls = 0;
    const out = await pairedRounds(3, {
      a: async () => 1,
      b: async () => {
        calls++;
        throw boom;
      },
    });
    expect(calls).toBe(1);
    expect(out.errorB).toBe(boom);
    expect(out.a).toEqual([1, 1, 1]);
    expect(out.paired).toBeNull();
  });
});
