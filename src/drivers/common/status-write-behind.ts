import type { DomainLocks } from './domain-lock.js';
import type { DomainObject } from './domain-objects.js';
import type { DomainStatusRecord, DomainStore } from './store.js';

/** How long a deferred status save waits for more changes to join it, ms. */
export const STATUS_WRITE_BEHIND_MS = 100;

/**
 * Write-behind for the status files of running domains. A live change of values the cgroup files keep one per
 * file (memory limits, scheduler values, the blkio weight) is in force once the files hold it, and those files
 * are what the next driver to look rebuilds the live values from (`withHeldValues`); its status save therefore
 * leaves the caller's path: it is scheduled, changes
 * made within {@link STATUS_WRITE_BEHIND_MS} share one save, and the save writes the domain's live definition
 * as it is then. A save runs under the domain's lock, so it never interleaves with a start, a stop or another
 * save, and it writes only while the status file on disk still names this process's domain (another
 * connection on the same root may have stopped or restarted it). {@link flushAll} saves everything pending
 * (the driver calls it on close); an immediate save of the same domain makes a pending one pointless
 * ({@link cancel}).
 */
export class StatusWriteBehind {
  readonly #pending = new Map<DomainObject, ReturnType<typeof setTimeout> | undefined>();

  /**
   * @param record the status record of `obj` now, or undefined when it no longer runs (nothing is saved).
   */
  constructor(
    private readonly store: DomainStore,
    private readonly locks: DomainLocks,
    private readonly record: (obj: DomainObject) => DomainStatusRecord | undefined,
    private readonly delayMs = STATUS_WRITE_BEHIND_MS,
    /** Brings `obj` up to date with its files under the lock first (`refreshFromFiles`), so no save writes a stale copy. */
    private readonly refresh?: (obj: DomainObject) => Promise<void>,
  ) {}

  /** Saves `obj`'s status soon; a save already pending covers this change too. */
  schedule(obj: DomainObject): void {
    if (this.#pending.get(obj) !== undefined) return;
    this.#pending.set(
      obj,
      setTimeout(() => {
        this.#flush(obj).catch((e: unknown) => {
          // Never silent: it stays pending, is tried again at the next change or at close, and a failure
          // then is reported by close.
          if (!this.#pending.has(obj)) this.#pending.set(obj, undefined);
          this.lastFailure = e;
        });
      }, this.delayMs),
    );
  }

  /** The error of the last deferred save that failed (it stays pending and is retried); undefined after a success. */
  lastFailure: unknown;

  /** Drops a pending save of `obj` (its status is being saved or removed right now). */
  cancel(obj: DomainObject): void {
    const timer = this.#pending.get(obj);
    if (timer !== undefined) clearTimeout(timer);
    this.#pending.delete(obj);
  }

  /** True while a save of `obj` is pending. */
  isPending(obj: DomainObject): boolean {
    return this.#pending.has(obj);
  }

  /**
   * Saves every pending status now (failed ones again); failures are returned, not thrown (the cgroup files
   * hold the limits), for the driver's close to report.
   */
  async flushAll(): Promise<unknown[]> {
    const failures: unknown[] = [];
    for (const obj of [...this.#pending.keys()]) {
      const timer = this.#pending.get(obj);
      if (timer !== undefined) clearTimeout(timer);
      // Keep it marked pending (without a timer) until the save runs under the lock.
      this.#pending.set(obj, undefined);
      await this.#flush(obj).catch((e: unknown) => failures.push(e));
    }
    if (failures.length === 0) this.lastFailure = undefined;
    return failures;
  }

  #flush(obj: DomainObject): Promise<void> {
    return this.locks.run(obj.uuid, async () => {
      // Cancelled, or saved by an earlier flush, while this one waited for the lock.
      if (!this.#pending.delete(obj)) return;
      await this.refresh?.(obj);
      const record = this.record(obj);
      if (!record) return;
      // Synchronous: the domain's lock is held, and live changes wait for it; the file is small and not fsynced.
      const onDisk = this.store.readStatusSync(obj.name);
      if (onDisk?.pid !== record.pid || onDisk.pidStartTime !== record.pidStartTime) return;
      await this.store.saveStatus(obj.name, record, { sync: true });
      this.lastFailure = undefined;
    });
  }
}
