import type { ControllerFiles } from './backend.js';
import type { CgroupFileSystem } from './cgroup-fs.js';
import { readCgroupFile, runCgroupTransaction, type AppliedCgroupTransaction, type CgroupWrite } from './transaction.js';

/**
 * One controller's tunables `T` in one domain cgroup directory, through that controller's file table.
 *
 * It remembers the values it last read or wrote ({@link known}), so a change reads no file: the order of the
 * writes and the undo log come from what it knows, and a live change of one value is one write. The kernel files
 * stay the truth: {@link read} reads them all (get, reconnect) and refreshes what is remembered, and a failed or
 * rolled-back change forgets it. This assumes, as libvirt does, that one driver manages a domain's values: one
 * changed behind its back is written again whenever a change names it, is seen by the next {@link read}, and until
 * then a rollback would restore the value this object knew.
 */
export class CgroupTunables<T extends object> {
  /** The managed values as last read from or written to the files; undefined when not known. */
  #known: Partial<T> | undefined;

  /** @param dir the cgroup directory holding this controller's files. */
  constructor(
    readonly fs: CgroupFileSystem,
    readonly files: ControllerFiles<T>,
    readonly dir: string,
  ) {}

  /** Reads one of the directory's files by name. */
  readonly readFile = (name: string): string => readCgroupFile(this.fs, `${this.dir}/${name}`);

  /** The values the kernel holds: only the fields this controller's files store. Read from the files. */
  read(): Partial<T> {
    const values = this.files.decode(this.readFile);
    this.#known = values;
    return { ...values };
  }

  /**
   * The values as this object last read or wrote them (read from the files when it has not yet): what a change
   * is planned against. Kernel rounding is not in it; {@link read} has it.
   */
  known(): Partial<T> {
    return this.#known ? { ...this.#known } : this.read();
  }

  /** Forgets the remembered values, so the next {@link known} reads the files. */
  forget(): void {
    this.#known = undefined;
  }

  /**
   * The ordered writes that take the {@link known} values to `next` (unmanaged fields are ignored): every file
   * whose text changes, and the file of every field in `touched` (what the caller was asked to set) even when it
   * seems unchanged, each with its known previous text for the undo log. Every value is range-checked here,
   * before anything is written.
   */
  plan(next: T, touched: readonly (keyof T)[] = []): CgroupWrite[] {
    const current: T = { ...next, ...this.known() };
    const want = this.files.encode(next);
    const have = this.files.encode(current);
    const forced = new Set(touched.map((f) => this.files.fileOf[f]));
    return this.files
      .writeOrder(current, next)
      .filter((f) => want[f] !== have[f] || forced.has(f))
      .map((f) => ({ path: `${this.dir}/${f}`, value: want[f]!, previous: have[f]! }));
  }

  /**
   * Applies `next` all or nothing, with the writes `plan` (default: {@link plan}); the result can still be rolled
   * back. Afterwards `next` is what this object knows the files hold; after a failure or a rollback it knows
   * nothing, and the next change reads the files again.
   */
  apply(next: T, plan: readonly CgroupWrite[] = this.plan(next)): AppliedCgroupTransaction {
    let tx: AppliedCgroupTransaction;
    try {
      tx = runCgroupTransaction(this.fs, plan);
    } catch (e) {
      this.#known = undefined;
      throw e;
    }
    const known: Partial<T> = {};
    for (const f of this.files.fields) known[f] = next[f];
    this.#known = known;
    return {
      writes: tx.writes,
      rollback: () => {
        this.#known = undefined;
        return tx.rollback();
      },
    };
  }
}
