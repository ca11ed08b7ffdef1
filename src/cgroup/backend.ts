import type { MemoryParamName } from '../memory/params.js';
import type { MemTune } from '../xml/domain-def.js';
import type { CgroupFileSystem } from './cgroup-fs.js';

/** The memtune fields a backend keeps in cgroup files. */
export type MemTuneField = keyof MemTune;

/**
 * How one cgroup version stores memory tunables. A backend only translates (KiB ↔ file text, write order);
 * the writing itself is {@link runCgroupTransaction}'s job.
 */
export interface MemoryBackend {
  readonly version: 'v1' | 'v2';
  /** The memory parameters this backend enforces, in libvirt's order. */
  readonly params: readonly MemoryParamName[];
  /** The fields it stores. */
  readonly fields: readonly MemTuneField[];
  /** The file each stored field is written to: a change of that field always writes it. */
  readonly fileOf: Readonly<Partial<Record<MemTuneField, string>>>;
  /** File name → text for every file it manages; range-checks every value first (throws INVALID_ARG). */
  encode(memtune: MemTune): Record<string, string>;
  /** The managed fields read back from a cgroup directory, KiB (UNLIMITED for no limit). */
  decode(read: (file: string) => string): Partial<MemTune>;
  /** The order in which to write the managed files when going from `current` to `next` (libvirt's order). */
  writeOrder(current: MemTune, next: MemTune): readonly string[];
  /** File holding current usage in bytes. */
  readonly usageFile: string;
  /** How many processes the kernel's OOM killer has killed in the cgroup. */
  oomKills(read: (file: string) => string): number;
  /** Prepares a parent directory so children get the memory controller (v2's subtree_control). */
  enableInParent(fs: CgroupFileSystem, parentDir: string): void;
}
