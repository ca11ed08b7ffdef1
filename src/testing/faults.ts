import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { DriverEntry } from '../entry-points.js';

/** Which calls of an entry a fault hits. Neither field: every call, until the fault is cleared. */
export interface FaultWhen {
  /** Only the Nth call of the entry (1-based, counted from the mock's creation). */
  call?: number;
  /** The next K calls of the entry from now. */
  times?: number;
}

/** What a fault does to a call it hits, before the call reaches the test driver (so it changes nothing). */
export type FaultAction =
  | { kind: 'fail'; error: VirError }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang'; signal: AbortSignal };

/** One fault on cue, as the mock keeps it. */
export interface FaultRule extends FaultWhen {
  entry: DriverEntry;
  action: FaultAction;
}

/**
 * The error a fault raises: the VirError given, or one of libvirt's for the code given (in the test driver's
 * error domain, with libvirt's message for that code and `detail` after it).
 */
export function faultError(error: VirError | ErrorCode, detail = 'injected by the mock driver'): VirError {
  if (error instanceof VirError) return error;
  if (typeof error !== 'number' || !Number.isInteger(error)) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `a fault needs a VirError or an ErrorCode, not ${String(error)}`);
  }
  return new VirError(error, ErrorDomain.TEST, detail);
}

/** Checks a rule's cue once, when it is added: a bad cue is the test's bug, reported at once. */
export function checkWhen(when: FaultWhen): void {
  for (const k of ['call', 'times'] as const) {
    const v = when[k];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) {
      throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `fault '${k}' must be a positive integer, not ${String(v)}`);
    }
  }
}

/** Keeps the rules and picks the ones a call hits; `times` counts down as calls use it up. */
export class FaultBook {
  #rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    checkWhen(rule);
    this.#rules.push({ ...rule });
  }

  clear(entry?: DriverEntry): void {
    this.#rules = entry === undefined ? [] : this.#rules.filter((r) => r.entry !== entry);
  }

  /** The actions for call number `n` of `entry`, in the order the rules were added. */
  take(entry: DriverEntry, n: number): FaultAction[] {
    const hits: FaultAction[] = [];
    for (const r of this.#rules) {
      if (r.entry !== entry || (r.call !== undefined && r.call !== n)) continue;
      if (r.times !== undefined) {
        if (r.times <= 0) continue;
        r.times--;
      }
      hits.push(r.action);
    }
    this.#rules = this.#rules.filter((r) => r.times === undefined || r.times > 0);
    return hits;
  }
}
