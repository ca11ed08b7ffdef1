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
 * How long a cross-process lock no task of this process needs is kept for the next one, ms. Another process that
 * asks for it meanwhile gets it at once: the lock is released as soon as a waiter connects.
 */
export const PROCESS_LOCK_LINGER_MS = 1_000;

/**
 * A monotonic clock, ms. Not `performance.now()`: the first use of that global loads perf_hooks (a dozen internal
 * modules) into every command-line start that takes a lock.
 */
const monotonicMs = (): number => process.uptime() * 1000;

/**
 * A mutex per key (per domain): tasks for the same key run one at a time, in call order; different keys run
 * in parallel. 50 concurrent memtune calls on one domain therefore end exactly as some serial order would.
 * With {@link SharedLocking}, a task also holds the key's cross-process lock ({@link acquireProcessLock}), so
 * the same holds for calls from several processes (and several connections) on one root. The cross-process lock
 * is not released when a task ends: it passes to the next task of this process, and an idle one is kept for
 * {@link PROCESS_LOCK_LINGER_MS}, until another process asks for it (then it is released at once, or as soon as
 * the running task ends). So an uncontended change costs no lock round trip, and {@link continuity} tells a task
 * whether any other process could have held the key since an earlier task of this process.
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
  /** Keys whose task is running now (holding the cross-process lock). */
  readonly #running = new Set<string>();
  readonly #lingering = new Map<string, ReturnType<typeof setTimeout>>();
  /** When each key's lock was last let go by a task of ours ({@link monotonicMs}). */
  readonly #idleSince = new Map<string, number>();

  constructor(private readonly shared?: SharedLocking) {}

  /** Runs `task` once every earlier task for `key` has settled; returns its result. */
  run<T>(key: string, task: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const guarded = this.shared ? () => this.#withProcessLock(key, tail, task) : task;
    const result = previous.then(guarded, guarded);
    // Settles once the task has, whatever its outcome, and forgets the key when no later task queued behind it.
    const settled = (): void => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
    const tail: Promise<unknown> = result.then(settled, settled);
    this.#tails.set(key, tail);
    return result;
  }

  async #withProcessLock<T>(key: string, tail: Promise<unknown>, task: () => Promise<T> | T): Promise<T> {
    const shared = this.shared!;
    // From here to #running.add nothing awaits, so a lock found held cannot be dropped before the task owns it.
    let lock = this.#held.get(key);
    if (!lock) {
      const acquired = await acquireProcessLock(shared.namespace, key, shared.errorDomain, shared.timeoutMs);
      this.#held.set(key, acquired);
      // Someone else waits: an idle lock goes now, a busy one when its task ends.
      acquired.onContended(() => {
        if (!this.#running.has(key)) this.#drop(key, acquired);
      });
      lock = acquired;
    }
    this.#running.add(key);
    try {
      return await task();
    } finally {
      this.#running.delete(key);
      if (lock.contended) this.#drop(key, lock);
      else if (this.#tails.get(key) === tail) this.#linger(key, lock);
    }
  }

  /**
   * No task of ours waits: keep the lock a while for the next one. One timer per key, not one per task (a timer
   * per live change would cost more than the change): when it fires it looks at when the lock was last let go.
   */
  #linger(key: string, lock: HeldProcessLock): void {
    this.#idleSince.set(key, monotonicMs());
    if (this.#lingering.has(key)) return;
    const check = (): void => {
      if (this.#held.get(key) !== lock) return;
      const idle = monotonicMs() - (this.#idleSince.get(key) ?? 0);
      if (this.#running.has(key) || this.#tails.has(key) || idle < PROCESS_LOCK_LINGER_MS) {
        this.#lingering.set(key, setTimeout(check, Math.max(1, PROCESS_LOCK_LINGER_MS - idle)).unref());
      } else this.#drop(key, lock);
    };
    this.#lingering.set(key, setTimeout(check, PROCESS_LOCK_LINGER_MS).unref());
  }

  #drop(key: string, lock: HeldProcessLock): void {
    lock.release();
    if (this.#held.get(key) !== lock) return;
    this.#held.delete(key);
    clearTimeout(this.#lingering.get(key));
    this.#lingering.delete(key);
    this.#idleSince.delete(key);
  }

  /**
   * Inside a task for `key`: an object that stays the same as long as this process has held the key's
   * cross-process lock without a break, so no other process can have changed what the lock guards since a
   * task that saw the same object. Undefined without shared locking (nothing to compare with then).
   */
  continuity(key: string): object | undefined {
    return this.#held.get(key);
  }

  /** Releases every cross-process lock no task needs now (the driver's root is being closed). */
  releaseIdle(): void {
    for (const [key, lock] of [...this.#held]) if (!this.#running.has(key)) this.#drop(key, lock);
  }

  /** True while a task for `key` runs or waits. */
  isBusy(key: string): boolean {
    return this.#tails.has(key);
  }
}
