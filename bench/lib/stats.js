/** The median of a non-empty list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Seconds since `start` (a process.hrtime.bigint() reading). */
export function secondsSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Runs `fn` and returns how long it took, in seconds. */
export async function timeIt(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return secondsSince(start);
}

/**
 * Runs the two sides of a comparison in alternating rounds, so that both see the same machine load:
 * round r runs A then B when r is even, B then A when odd. Each side returns its figure for the round
 * (or throws, which ends that side's rounds); the result holds each side's list of figures.
 */
export async function interleave(rounds, sides) {
  const figures = { a: [], b: [] };
  const errors = { a: null, b: null };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const key of order) {
      if (errors[key] || !sides[key]) continue;
      try {
        figures[key].push(await sides[key](r));
      } catch (err) {
        errors[key] = err;
      }
    }
  }
  return { a: figures.a, b: figures.b, errorA: errors.a, errorB: errors.b };
}

/**
 * Calls the synchronous `fn` in growing batches until one batch takes at least `minSeconds`, and returns
 * calls per second of that batch (a micro-benchmark for work that takes micro- to milliseconds).
 */
export function measureRate(fn, minSeconds) {
  for (let batch = 1; ; batch *= 2) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn(i);
    const seconds = secondsSince(start);
    if (seconds >= minSeconds) return batch / seconds;
  }
}
