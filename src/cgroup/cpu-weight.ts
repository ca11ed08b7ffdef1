import { CPU_SHARES_MAX, CPU_SHARES_MIN } from './cpu-values.js';

// v2's cpu.weight runs from 1 to 10000 where v1's shares run from 2 to 262144.
const WEIGHT_MIN = 1n;
const WEIGHT_SPAN = 9999n;
const SHARES_SPAN = CPU_SHARES_MAX - CPU_SHARES_MIN;

/**
 * v1 shares → v2 cpu.weight, linearly between the two ranges and rounded down:
 * weight = 1 + ⌊(shares − 2) × 9999 / 262142⌋ (runc's mapping; 2 → 1, 1024 → 39, 262144 → 10000).
 * libvirt itself writes `cpu_shares` into cpu.weight unconverted; virtune keeps one meaning of `cpu_shares` on
 * both versions instead.
 */
export function sharesToWeight(shares: bigint): bigint {
  return WEIGHT_MIN + ((shares - CPU_SHARES_MIN) * WEIGHT_SPAN) / SHARES_SPAN;
}

/**
 * cpu.weight → shares: the smallest shares that {@link sharesToWeight} maps to `weight`, i.e.
 * 2 + ⌈(weight − 1) × 262142 / 9999⌉, so that weight → shares → weight is exact (shares → weight → shares gives
 * the smallest shares of the same weight: about 26 shares share one weight). Weights outside [1, 10000] are
 * clamped first.
 */
export function weightToShares(weight: bigint): bigint {
  const w = weight < WEIGHT_MIN ? WEIGHT_MIN : weight > WEIGHT_MIN + WEIGHT_SPAN ? WEIGHT_MIN + WEIGHT_SPAN : weight;
  const scaled = (w - WEIGHT_MIN) * SHARES_SPAN;
  return CPU_SHARES_MIN + (scaled + WEIGHT_SPAN - 1n) / WEIGHT_SPAN;
}
