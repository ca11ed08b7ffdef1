import type { ErrorDomain } from '../../errors.js';
import { acquireProcessLock, type HeldProcessLock } from './process-lock.js';

/** Where {@link DomainLocks} also excludes other processes: the driver root they share. */
export interface SharedLocking {
  /** Identifies the root for every process (`DomainStore.lockNamespace`); read at each acquisition. */
  readonly namespace: string;
  errorDomain: ErrorDomain;
  /** How long to wait for another process, ms (default `PROCESS_LOCK_TIMEOUT_MS`). */
  timeoutMs?: number;
}

/** The key of the lock of a whole root (define, undefine: the set of names and UUIDs). Taken before a domain's. */
export const ROOT_LOCK_KEY = '#root';

/**
 * A mutex per key (per domain): tasks for the same key run one at a time, in call order; different keys run
 * in parallel. 50 concurrent memtune calls on one domain therefore end exactly as some serial order would.
 * With {@link SharedLocking}, a task also holds the key's cross-process lock ({@link acquireProcessLock}), so
 * the same holds for calls from several processes (and several connections) on one root. While more tasks of
 * this process wait for the key and no other process does, the cross-process lock passes from one task to the
 * next without being released.
 *
 * @example
 * ```ts
 * const locks = new DomainLocks();
 * await locks.run(def.uuid, async () => { ... read, change, save ... });
 * ```
 */
export class DomainLocks {
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #held = new Map<string, HeldProcessLock>();

  constructor(private readonly shared?: SharedLocking) {}

  /** Runs `task` once every earlier task for `key` has settled; returns its result. */
  run<T>(key: string, task: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const guarded = this.shared ? () => this.#withProcessLock(key, tail, task) : task;
    const result = previous.then(guarded, guarded);
    const tail: Promise<unknown> = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  async #withProcessLock<T>(key: string, tail: Promise<unknown>, task: () => Promise<T> | T): Promise<T> {
    const shared = this.shared!;
    let lock = this.#held.get(key);
    if (!lock) {
      lock = await acquireProcessLock(shared.namespace, key, shared.errorDomain, shared.timeoutMs);
      this.#held.set(key, lock);
    }
    try {
      return await task();
    } finally {
      // Keep it for the next task of this process only when nobody else waits.
      if (this.#tails.get(key) === tail || lock.contended) {
        lock.release();
        this.#held.delete(key);
      }
    }
  }

  /** True while a task for `key` runs or waits. */
  isBusy(key: string): boolean {
    return this.#tails.has(key);
  }
}
