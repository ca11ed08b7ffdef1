// The size of the fuzz suites: a CI slice in `npm test` (a few seconds each), the full run behind `npm run fuzz`
// (VIRTUNE_FUZZ=1, at least 100,000 cases over all suites), and a deadline per case so that a case that hangs
// fails, named, instead of stalling the run.

/** True under `npm run fuzz`. */
export const FULL_FUZZ = process.env.VIRTUNE_FUZZ === '1';

/** `ci` runs in `npm test`, `full` under `npm run fuzz`. */
export function fuzzRuns(ci: number, full: number): number {
  return FULL_FUZZ ? full : ci;
}

/** The longest one case may take, in ms: far above any real case, far below a hang. */
export const CASE_DEADLINE_MS = 5_000;

/**
 * Runs one case: its promise raced against the deadline (a hang fails as `LABEL: no answer within ...`), and a
 * synchronous case timed (an input that takes seconds fails as slow, with its label).
 */
export async function withinDeadline<T>(label: () => string, run: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = run();
    const value = result instanceof Promise
      ? await Promise.race([
          result,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`${label()}: no answer within ${CASE_DEADLINE_MS} ms`)), CASE_DEADLINE_MS);
          }),
        ])
      : result;
    const ms = performance.now() - t0;
    if (ms > CASE_DEADLINE_MS) throw new Error(`${label()}: took ${Math.round(ms)} ms (deadline ${CASE_DEADLINE_MS} ms)`);
    return value;
  } finally {
    clearTimeout(timer);
  }
}

/** Counts the cases of one suite and prints them with the time taken (the figures of docs/reliability.md). */
export class FuzzTally {
  #cases = 0;
  readonly #t0 = performance.now();
  constructor(readonly suite: string) {}
  case(): void {
    this.#cases++;
  }
  get cases(): number {
    return this.#cases;
  }
  /** Prints `fuzz SUITE: N cases in S s` (a case that failed has failed the test already). */
  report(): void {
    const s = ((performance.now() - this.#t0) / 1000).toFixed(1);
    process.stdout.write(`fuzz ${this.suite}: ${this.#cases} cases in ${s} s\n`);
  }
}
