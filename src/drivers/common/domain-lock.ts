/**
 * A mutex per key (per domain): tasks for the same key run one at a time, in call order; different keys run
 * in parallel. 50 concurrent memtune calls on one domain therefore end exactly as some serial order would.
 *
 * @example
 * ```ts
 * const locks = new DomainLocks();
 * await locks.run(def.uuid, async () => { ... read, change, save ... });
 * ```
 */
export class DomainLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every earlier task for `key` has settled; returns its result. */
  run<T>(key: string, task: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** True while a task for `key` runs or waits. */
  isBusy(key: string): boolean {
    return this.#tails.has(key);
  }
}
