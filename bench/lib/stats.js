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

/**
 * Rate measurement for two sides that each run a batch of `n` operations and return the seconds it took.
 * A warm-up batch of `minN` per side (not counted: it also lets V8 compile the hot path) sizes each side's batch
 * so that one round lasts about `roundSeconds`; then `rounds` rounds alternate as in {@link interleave}.
 * Returns operations per second per round for each side.
 */
export async function calibratedRates({ rounds, roundSeconds, minN, sides }) {
  const sizes = {};
  const errors = { a: null, b: null };
  for (const key of ['a', 'b']) {
    if (!sides[key]) continue;
    try {
      const seconds = await sides[key](minN);
      sizes[key] = Math.max(minN, Math.round((roundSeconds / Math.max(seconds, 1e-6)) * minN));
    } catch (err) {
      errors[key] = err;
    }
  }
  const measured = await interleave(rounds, {
    a: sizes.a && (async () => sizes.a / (await sides.a(sizes.a))),
    b: sizes.b && (async () => sizes.b / (await sides.b(sizes.b))),
  });
  return { a: measured.a, b: measured.b, errorA: errors.a ?? measured.errorA, errorB: errors.b ?? measured.errorB, sizes };
}
