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

/**
 * `side` (n → seconds, as {@link calibratedRates} takes it) that also pushes this process's CPU time per op of each
 * batch (user + system, µs) onto `into`: steadier than wall time on a shared machine, where a busy process waits
 * for a core. The last `rounds` entries are the measured rounds (calibration and warm-up come first).
 */
export function recordingCpu(side, into) {
  return (
    side &&
    (async (n) => {
      const start = process.cpuUsage();
      const seconds = await side(n);
      const used = process.cpuUsage(start);
      into.push((used.user + used.system) / n);
      return seconds;
    })
  );
}

/** Runs `fn` and returns how long it took, in seconds. */
export async function timeIt(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return secondsSince(start);
}

/**
 * Runs the sides of a comparison in alternating rounds, so that all see the same machine load: the order
 * rotates each round (with two sides, A then B when r is even, B then A when odd). Each side returns its
 * figure for the round (or throws, which ends that side's rounds). The result holds each side's list of
 * figures under its key, its error under `errors[key]`, and `errorA`/`errorB` for sides `a` and `b`.
 * `order(r, keys)` gives round r's order of the keys, when not that rotation.
 */
export async function interleave(rounds, sides, order = rotated) {
  const keys = Object.keys(sides);
  const figures = Object.fromEntries(keys.map((k) => [k, []]));
  const errors = Object.fromEntries(keys.map((k) => [k, null]));
  for (let r = 0; r < rounds; r++) {
    for (const key of order(r, keys)) {
      if (errors[key] || !sides[key]) continue;
      try {
        figures[key].push(await sides[key](r));
      } catch (err) {
        errors[key] = err;
      }
    }
  }
  return { ...figures, a: figures.a ?? [], b: figures.b ?? [], errors, errorA: errors.a ?? null, errorB: errors.b ?? null };
}

/** Round r's order of `keys` in {@link interleave}: rotated by r. */
function rotated(r, keys) {
  return keys.map((_, j) => keys[(r + j) % keys.length]);
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
 * Rate measurement for sides (`a`, `b`, and any others) that each run a batch of `n` operations and return the
 * seconds it took. Warm-up batches of `minN` per side, repeated until they have taken `warmupSeconds` (not
 * counted: they also let V8 optimize the hot path, which for a define takes thousands of calls), size each
 * side's batch so that one round lasts about `roundSeconds`; then `rounds` rounds alternate as in
 * {@link interleave}. Returns operations per second per round for each side, under its key, and `errors[key]`.
 */
export async function calibratedRates({ rounds, roundSeconds, minN, sides, warmupSeconds = 0 }) {
  const keys = Object.keys(sides);
  const sizes = {};
  const errors = Object.fromEntries(keys.map((k) => [k, null]));
  for (const key of keys) {
    if (!sides[key]) continue;
    try {
      let seconds = await sides[key](minN);
      for (let spent = seconds; spent < warmupSeconds; spent += seconds) seconds = await sides[key](minN);
      sizes[key] = Math.max(minN, Math.round((roundSeconds / Math.max(seconds, 1e-6)) * minN));
    } catch (err) {
      errors[key] = err;
    }
  }
  const measured = await interleave(
    rounds,
    Object.fromEntries(keys.map((k) => [k, sizes[k] && (async () => sizes[k] / (await sides[k](sizes[k])))])),
  );
  for (const key of keys) errors[key] ??= measured.errors[key];
  return { ...measured, a: measured.a, b: measured.b, errors, errorA: errors.a ?? null, errorB: errors.b ?? null, sizes };
}

/**
 * Rounds of a two-sided comparison of times whose ratio moves with the machine's load more than with either side:
 * each round runs `a` and `b` back to back (A then B when r is even, B then A when odd), then any `others`, so the
 * two sides of a round see the same moment's load. Returns each side's figures per round (as {@link interleave})
 * and `paired`: the round whose ratio a/b is the median of the rounds' ratios, with that round's figures (`a`, `b`,
 * so a/b is exactly the median ratio), and the spread of the ratios (`low`, `high`: the middle half of the rounds).
 * `paired` is null when a side failed or has no figures.
 */
export async function pairedRounds(rounds, { a, b, ...others }) {
  const rest = Object.keys(others);
  const order = (r) => (r % 2 === 0 ? ['a', 'b', ...rest] : ['b', 'a', ...rest]);
  const figures = await interleave(rounds, { a, b, ...others }, order);
  return { ...figures, paired: medianRound(figures.a, figures.b) };
}

/**
 * Of rounds where both sides have a figure (`a[i]`, `b[i]`), the one whose ratio a/b is the median (the lower of
 * the two middle ones when their count is even), with the quartiles of the ratios; null when there is none.
 */
export function medianRound(a, b) {
  const n = Math.min(a.length, b.length);
  if (n === 0) return null;
  const rounds = Array.from({ length: n }, (_, i) => ({ a: a[i], b: b[i], ratio: a[i] / b[i] })).sort((x, y) => x.ratio - y.ratio);
  const at = (q) => rounds[Math.min(n - 1, Math.floor(q * (n - 1)))];
  const mid = at(0.5);
  return { a: mid.a, b: mid.b, ratio: mid.ratio, low: at(0.25).ratio, high: at(0.75).ratio, rounds: n };
}
