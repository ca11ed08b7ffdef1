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

  /**
   * `base` with the {@link known} values over it: `{ ...base, ...known() }`. That is `base` itself when the known
   * values are the ones the last change took from `base` (the definition's values a live change just saved), else
   * a new object; either way never to be modified.
   */
  knownOver(base: T): T {
    if (base === this.#rememberedFrom && this.#known === this.#rememberedKnown) return base;
    return overlaid(base, this.#known ?? this.read());
  }

  /** The values {@link remember} last took the known ones from (when they were the whole target), and those known ones. */
  #rememberedFrom: T | undefined;
  #rememberedKnown: Partial<T> | undefined;

  /** Forgets the remembered values, so the next {@link known} reads the files. */
  forget(): void {
    this.#known = undefined;
    this.#knownText = undefined;
    this.#rememberedFrom = undefined;
  }

  /** The values after `change`, from what is known: the target of {@link plan} and {@link apply}. */
  #target(change: Partial<T>, known: Partial<T> = this.#known ?? this.read()): Planned<T> {
    // The change just planned is usually the one applied next ({@link remember}): computed once for both.
    const planned = this.#planned;
    if (planned !== undefined && change === planned.change && known === planned.known) return planned;
    const table = this.table;
    // Not copied: the ways below build a new object from it, or (when `change` names every field, as a live
    // change's merged values do) take `change` itself, which then is the whole target: the known values hold
    // only the table's fields.
    const merged = table.merge
      ? table.merge(known, change)
      : holdsEvery(change, table.fields)
        ? change
        : definedOver(known, change, table.fields);
    return (this.#planned = { change, known, target: merged as T, text: undefined });
  }

  /** The last {@link #target} computed: from which change and known values, to what (and its text, once encoded). */
  #planned: Planned<T> | undefined;

  /**
   * The text of the known values, when they hold every field: then it is all {@link plan} compares with, and it
   * is the text the last change wrote (so a run of changes encodes only its targets). Undefined otherwise.
   */
  #knownText: { known: Partial<T>; text: Record<string, string> } | undefined;

  /**
   * The ordered writes that take the {@link known} values to `next` (fields `next` leaves out keep their known
   * value; unmanaged fields are ignored): every file whose text changes, and the file of every field in `touched`
   * (what the caller was asked to set) even when it seems unchanged, each with its known previous text for the
   * undo log. Every value is range-checked here, before anything is written.
   */
  plan(next: Partial<T>, touched: readonly (keyof T)[] = []): CgroupWrite[] {
    const table = this.table;
    const known = this.#known ?? this.read();
    const planned = this.#target(next, known);
    const target = planned.target;
    const knownText = this.#knownText?.known === known ? this.#knownText.text : undefined;
    // Known values holding every field (they have a text) are all of the current values a write order reads.
    const current = knownText !== undefined ? (known as T) : overlaid(target, known);
    const want = (planned.text ??= table.encode(target));
    const have = knownText ?? this.#encodeKnown(known, current);
    const writes: CgroupWrite[] = [];
    for (const k of table.writeOrder(current, target)) {
      const value = want[k];
      if (value === undefined) continue;
      const file = table.fileOfKey ? table.fileOfKey(k) : k;
      if (value === have[k] && !touched.some((f) => table.fileOf[f] === file)) continue;
      const path = this.#pathOf(file);
      const previous = have[k] ?? table.unsetText?.(k);
      writes.push(previous === undefined ? { path, value } : { path, value, previous });
    }
    return writes;
  }

  /**
   * The path of one of the directory's files, the same string each time: a string's hash is kept in it, so the
   * open file it names (`OpenCgroupFiles`) is found without hashing the path again.
   */
  #pathOf(file: string): string {
    let path = this.#paths.get(file);
    if (path === undefined) this.#paths.set(file, (path = `${this.dir}/${file}`));
    return path;
  }
  readonly #paths = new Map<string, string>();

  /** The text of `current` (the known values over a target), kept as {@link #knownText} when `known` holds every field. */
  #encodeKnown(known: Partial<T>, current: T): Record<string, string> {
    const text = this.table.encode(current);
    if (holdsEvery(known, this.table.fields)) this.#knownText = { known, text };
    return text;
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
    const planned = this.#target(next);
    const target = planned.target;
    const known: Partial<T> = {};
    for (const f of this.table.fields) if (target[f] !== undefined) known[f] = target[f];
    this.#known = known;
    // Holding every field, the new known values are the target's, so their text is the one just written.
    this.#knownText = planned.text !== undefined && holdsEvery(known, this.table.fields) ? { known, text: planned.text } : undefined;
    // `next` over the new known values is `next` again (they are its own fields) when it is the whole target.
    this.#rememberedFrom = target === next ? target : undefined;
    this.#rememberedKnown = known;
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

/** One computed target: the change and known values it came from, and its encoded text once {@link CgroupTunables.plan} made it. */
interface Planned<T> {
  readonly change: Partial<T>;
  readonly known: Partial<T>;
  readonly target: T;
  text: Record<string, string> | undefined;
}

/** True when `values` has every one of `fields` defined: its encoded text then depends on nothing else. */
function holdsEvery<T extends object>(values: Partial<T>, fields: readonly (keyof T)[]): boolean {
  for (const f of fields) if (values[f] === undefined) return false;
  return true;
}

/** The own fields of `from` stored into `into` (undefined ones too when `all`): a loop over keys, no spread. */
function storeFields(into: Record<string, unknown>, from: object, all: boolean): void {
  // One function for every controller's values: a spread or a for-in copy here sees objects of many shapes, and
  // spreads of objects of varying shapes take V8's slow path (~6 µs a call measured, issue 15 item 9).
  const source = from as Record<string, unknown>;
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const value = source[keys[i]!];
    if (all || value !== undefined) into[keys[i]!] = value;
  }
}

/** `{ ...base, ...over }`, built by {@link storeFields}. */
function overlaid<T extends object>(base: T, over: Partial<T>): T {
  const out: Record<string, unknown> = {};
  storeFields(out, base, true);
  storeFields(out, over, true);
  return out as T;
}

/**
 * `fields` of `base` with those of `change` that are not undefined over them (a new object): all a target needs,
 * the table's fields. One loop over the table's own list builds objects of one shape per table.
 */
function definedOver<T extends object>(base: Partial<T>, change: Partial<T>, fields: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const value = change[f] !== undefined ? change[f] : base[f];
    if (value !== undefined) out[f] = value;
  }
  return out;
}
