// Types of bench/lib/stats.js, for the tests that check it.

export function median(values: number[]): number;
export function secondsSince(start: bigint): number;
export function timeIt(fn: () => unknown): Promise<number>;
export function measureRate(fn: (i: number) => unknown, minSeconds: number): number;

type Side = ((round: number) => Promise<number>) | null | undefined | false;

export interface MedianRound {
  a: number;
  b: number;
  ratio: number;
  /** The quartiles of the rounds' ratios. */
  low: number;
  high: number;
  rounds: number;
}

export function medianRound(a: number[], b: number[]): MedianRound | null;

export function pairedRounds(
  rounds: number,
  sides: { a: Side; b: Side; [other: string]: Side },
): Promise<{
  a: number[];
  b: number[];
  [other: string]: unknown;
  errors: Record<string, unknown>;
  errorA: unknown;
  errorB: unknown;
  paired: MedianRound | null;
}>;
