// The values the concurrent writers set: every one names its writer and its step, and any hard limit stays below
// any swap limit, so every change is valid in any order. Multiples of 4 KiB, so cgroup files hold them exactly.
export const PARAMS = ['hard_limit', 'soft_limit', 'swap_hard_limit', 'min_guarantee'];
const BASE_KIB = { hard_limit: 512 << 10, soft_limit: 256 << 10, swap_hard_limit: 4 << 20, min_guarantee: 1 << 10 };
const STEPS = 1024;
const WRITERS = 64;

export function encodeValue(field, writer, step) {
  if (writer >= WRITERS || step >= STEPS) throw new RangeError(`writer ${writer} step ${step} out of range`);
  return BASE_KIB[field] + (writer * STEPS + step) * 4;
}

/** { writer, step } of a value this module made, or undefined for any other value (the domain's initial ones). */
export function decodeValue(field, kib) {
  const n = (kib - BASE_KIB[field]) / 4;
  if (!Number.isInteger(n) || n < 0 || n >= WRITERS * STEPS) return undefined;
  return { writer: Math.floor(n / STEPS), step: n % STEPS };
}
