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
  /** The table for this directory, once resolved ({@link ControllerFiles.inDirectory}). */
  #table: ControllerFiles<T> | undefined;

  /** @param dir the cgroup directory holding this controller's files. */
  constructor(
    readonly fs: CgroupFileSystem,
    readonly files: ControllerFiles<T>,
    readonly dir: string,
  ) {}

  /** Reads one of the directory's files by name. */
  readonly readFile = (name: string): string => readCgroupFile(this.fs, `${this.dir}/${name}`);

  /**
   * The file table of this directory: {@link files}, or the variant the directory's files select. Resolved once
   * the directory exists (a handle may be made before its cgroup is).
   */
  get table(): ControllerFiles<T> {
    if (this.#table) return this.#table;
    const pick = this.files.inDirectory;
    if (pick === undefined) return (this.#table = this.files);
    const table = pick.call(this.files, (f) => this.fs.exists(`${this.dir}/${f}`));
    if (this.fs.exists(this.dir)) this.#table = table;
    return table;
  }

  /** The values the kernel holds: only the fields this controller's files store. Read from the files. */
  read(): Partial<T> {
    const values = this.table.decode(this.readFile);
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

  /** The values after `change`, from what is known: the target of {@link plan} and {@link apply}. */
  #target(change: Partial<T>, known: Partial<T> = this.#known ?? this.read()): T {
    // The change just planned is usually the one applied next ({@link remember}): computed once for both.
    if (change === this.#planned?.change && known === this.#planned.known) return this.#planned.target;
    // Not copied: both ways below build a new object from it.
    const merged = this.table.merge ? this.table.merge(known, change) : withDefinedFields(known, change);
    this.#planned = { change, known, target: merged as T };
    return merged as T;
  }

  /** The last {@link #target} computed: from which change and known values, to what. */
  #planned: { change: Partial<T>; known: Partial<T>; target: T } | undefined;

  /**
   * The ordered writes that take the {@link known} values to `next` (fields `next` leaves out keep their known
   * value; unmanaged fields are ignored): every file whose text changes, and the file of every field in `touched`
   * (what the caller was asked to set) even when it seems unchanged, each with its known previous text for the
   * undo log. Every value is range-checked here, before anything is written.
   */
  plan(next: Partial<T>, touched: readonly (keyof T)[] = []): CgroupWrite[] {
    const table = this.table;
    const known = this.#known ?? this.read();
    const target = this.#target(next, known);
    const current: T = { ...target, ...known };
    const want = table.encode(target);
    const have = table.encode(current);
    const fileOf = (key: string): string => (table.fileOfKey ? table.fileOfKey(key) : key);
    const forced = new Set(touched.map((f) => table.fileOf[f]));
    return table
      .writeOrder(current, target)
      .filter((k) => want[k] !== undefined && (want[k] !== have[k] || forced.has(fileOf(k))))
      .map((k) => {
        const previous = have[k] ?? table.unsetText?.(k);
        return { path: `${this.dir}/${fileOf(k)}`, value: want[k]!, ...(previous === undefined ? {} : { previous }) };
      });
  }

  /**
   * Applies `next` all or nothing, with the writes `plan` (default: {@link plan}); the result can still be rolled
   * back. Afterwards the values reached are what this object knows the files hold; after a failure or a rollback
   * it knows nothing, and the next change reads the files again.
   */
  apply(next: Partial<T>, plan: readonly CgroupWrite[] = this.plan(next)): AppliedCgroupTransaction {
    return applyTogether([{ tunables: this, next, plan }]);
  }

  /** Takes the values `next` reaches as what the files now hold (after its writes went through). */
  remember(next: Partial<T>): void {
    const target = this.#target(next);
    const known: Partial<T> = {};
    for (const f of this.table.fields) if (target[f] !== undefined) known[f] = target[f];
    this.#known = known;
  }
}

/** One handle's part of a change that spans several cgroup directories. */
export interface TunablesStep {
  // Each step has its own controller's values type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly tunables: CgroupTunables<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly next: Partial<any>;
  /** Its planned writes (default: planned now). */
  readonly plan?: readonly CgroupWrite[];
}

/**
 * Applies several handles' changes as one transaction, all or nothing (a QEMU domain's cgroup and its
 * `emulator/` and `vcpuN/` groups): every step is planned (and range-checked) before the first write, the writes
 * run in step order with one undo log, and a failure restores every file written, whichever step it belonged to.
 * Afterwards each handle knows the values it reached; after a failure or a rollback none knows anything.
 */
export function applyTogether(steps: readonly TunablesStep[]): AppliedCgroupTransaction {
  if (steps.length === 0) return { writes: [], rollback: () => [] };
  const plans = steps.map((s) => s.plan ?? s.tunables.plan(s.next));
  const targets = steps.map((s) => s.next);
  const forgetAll = (): void => steps.forEach((s) => s.tunables.forget());
  let tx: AppliedCgroupTransaction;
  try {
    // Array.prototype.flat is slow in V8, and one step (one cgroup) is the common case.
    tx = runCgroupTransaction(steps[0]!.tunables.fs, plans.length === 1 ? plans[0]! : ([] as CgroupWrite[]).concat(...plans));
  } catch (e) {
    forgetAll();
    throw e;
  }
  steps.forEach((s, i) => s.tunables.remember(targets[i]!));
  return {
    writes: tx.writes,
    rollback: () => {
      forgetAll();
      return tx.rollback();
    },
  };
}

/** `base` with the fields of `change` that are not undefined over it (a new object). */
function withDefinedFields<T extends object>(base: Partial<T>, change: Partial<T>): Partial<T> {
  // for-in loops, not spreads: this runs on every live change, and spreading objects of varying shapes (a
  // caller's change, what the files held) takes V8's slow path.
  const out: Record<string, unknown> = {};
  const from = base as Record<string, unknown>;
  const over = change as Record<string, unknown>;
  for (const k in from) out[k] = from[k];
  for (const k in over) if (over[k] !== undefined) out[k] = over[k];
  return out as Partial<T>;
}
