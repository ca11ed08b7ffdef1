import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharesToWeight, weightToShares } from '../../src/cgroup/cpu-weight.js';

describe('cpu_shares ⇄ cpu.weight', () => {
  it('maps the ends and the v1 default as runc does (rounded down)', () => {
    expect(sharesToWeight(2n)).toBe(1n);
    expect(sharesToWeight(1024n)).toBe(39n); // 1 + ⌊1022 × 9999 / 262142⌋ = 1 + ⌊38.98⌋
    expect(sharesToWeight(262144n)).toBe(10000n);
    expect(weightToShares(1n)).toBe(2n);
    expect(weightToShares(100n)).toBe(2598n); // a fresh v2 cgroup, in shares: 2 + ⌈99 × 262142 / 9999⌉
    expect(weightToShares(10000n)).toBe(262144n);
  });

  it('weight → shares → weight is exact; shares → weight → shares is the smallest shares of that weight', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10000n }), (w) => {
        expect(sharesToWeight(weightToShares(w))).toBe(w);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 2n, max: 262144n }), (s) => {
        const back = weightToShares(sharesToWeight(s));
        expect(back <= s).toBe(true);
        expect(sharesToWeight(back)).toBe(sharesToWeight(s));
        expect(back === 2n || sharesToWeight(back - 1n) < sharesToWeight(s)).toBe(true);
      }),
    );
  });

  it('is monotonic', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n, max: 262143n }), (s) => {
        expect(sharesToWeight(s + 1n) >= sharesToWeight(s)).toBe(true);
      }),
    );
  });
});
