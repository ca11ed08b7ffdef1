import type { MemoryParamName } from '../memory/params.js';
import type { MemTune } from '../xml/domain-def.js';

/** Reads one file of a cgroup directory by name (`memory.max`). */
export type ReadCgroupFile = (file: string) => string;

/**
 * How one controller keeps one record of tunables `T` (a memtune, later a cputune or blkiotune) in one cgroup
 * version's files: a file table plus conversions. It only translates (values ↔ file text, write order); the
 * writing itself is {@link runCgroupTransaction}'s job, and remembering what the files hold is
 * {@link CgroupTunables}'.
 */
export interface ControllerFiles<T> {
  /** The controller's name in this version (`memory`; v1 `blkio` is v2 `io`). */
  readonly controller: string;
  readonly version: 'v1' | 'v2';
  /** The fields of `T` it stores. */
  readonly fields: readonly (keyof T)[];
  /** The file each stored field is written to: a change of that field always writes it. */
  readonly fileOf: Readonly<Partial<Record<keyof T, string>>>;
  /**
   * A file the hierarchy's root has when the controller is usable (v1 memory: `memory.limit_in_bytes`); v1
   * detection probes it. Absent: the mount is proof enough.
   */
  readonly probeFile?: string;
  /**
   * File name → text for every file it manages; range-checks every value first (throws INVALID_ARG). Reads only
   * the {@link fields}: `CgroupTunables` keeps the text of values that hold every field and reuses it.
   */
  encode(values: T): Record<string, string>;
  /** The managed fields read back from a cgroup directory. */
  decode(read: ReadCgroupFile): Partial<T>;
  /**
   * The order of the writes going from `current` to `next`, as keys of {@link encode}'s record: a file name, or
   * for a table with one line per device in a file, whatever {@link fileOfKey} maps to the file.
   */
  writeOrder(current: T, next: T): readonly string[];
  /** The file a key of {@link encode}'s record is written to. Default: the key is the file's name. */
  fileOfKey?(key: string): string;
  /**
   * The text a key's file holds for a key the values do not mention (a device without a limit): the undo log's
   * previous text when the known values lack the key. Default: none, the file is read before the write.
   */
  unsetText?(key: string): string | undefined;
  /** The values after `change` is applied to `base`. Default: `change`'s defined fields over `base`. */
  merge?(base: Partial<T>, change: Partial<T>): Partial<T>;
  /**
   * The table for one cgroup directory, when which files the kernel offers decides it (v1 blkio: BFQ's weight
   * files or CFQ's). `has` says whether the directory has a file.
   */
  inDirectory?(has: (file: string) => boolean): ControllerFiles<T>;
}

/** The memtune fields a backend keeps in cgroup files. */
export type MemTuneField = keyof MemTune;

/** The memory controller's files in one version: memtune ↔ files, plus the figures drivers read. */
export interface MemoryBackend extends ControllerFiles<MemTune> {
  /** The memory parameters this version enforces, in libvirt's order. */
  readonly params: readonly MemoryParamName[];
  /** File holding current usage in bytes. */
  readonly usageFile: string;
  /** How many processes the kernel's OOM killer has killed in the cgroup. */
  oomKills(read: ReadCgroupFile): number;
}

