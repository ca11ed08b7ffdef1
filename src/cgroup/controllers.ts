import type { MemTune } from '../xml/domain-def.js';
import type { ControllerFiles, MemoryBackend } from './backend.js';
import { blkioV1BfqFiles } from './blkio-v1.js';
import { blkioV2BfqFiles } from './blkio-v2.js';
import type { BlkioValues } from './blkio-values.js';
import type { CgroupFileSystem } from './cgroup-fs.js';
import { cpuV1Files } from './cpu-v1.js';
import { cpuV2Files } from './cpu-v2.js';
import type { CpuValues } from './cpu-values.js';
import { CpuacctCgroup, cpuacctV1Files, cpuacctV2Files, type CpuacctFiles, type NoValues } from './cpuacct.js';
import { MemoryCgroup } from './memory-cgroup.js';
import { v1Backend } from './memory-v1.js';
import { v2Backend } from './memory-v2.js';
import { CgroupTunables } from './tunables.js';

/**
 * A cgroup controller as data: its names in each version and its file table per version. A driver asks for the
 * controllers its tunables need; detection, the domain cgroup and the transaction know nothing else about them.
 */
export interface ControllerSpec<
  T extends object,
  F extends ControllerFiles<T> = ControllerFiles<T>,
  H extends CgroupTunables<T> = CgroupTunables<T>,
> {
  /** v1's name: the mount option of its hierarchy (`memory`, `cpu`, `blkio`). */
  readonly v1Name: string;
  /** v2's name: the word in `cgroup.controllers` (`memory`, `cpu`, `io`). */
  readonly v2Name: string;
  readonly files: { readonly v1: F; readonly v2: F };
  /** The handle on its tunables in one cgroup directory (a subclass adds what a driver reads besides). */
  open(fs: CgroupFileSystem, files: F, dir: string): H;
}

/** For a controller whose handle is the plain {@link CgroupTunables}. */
export function plainTunables<T extends object>(fs: CgroupFileSystem, files: ControllerFiles<T>, dir: string): CgroupTunables<T> {
  return new CgroupTunables(fs, files, dir);
}

/** The memory controller: memtune's limits (the first controller declared as data). */
export const MEMORY: ControllerSpec<MemTune, MemoryBackend, MemoryCgroup> = {
  v1Name: 'memory',
  v2Name: 'memory',
  files: { v1: v1Backend, v2: v2Backend },
  open: (fs, files, dir) => new MemoryCgroup(fs, files, dir),
};

/** The cpu controller: cpu_shares and CFS bandwidth (period, quota) of one cgroup directory. */
export const CPU: ControllerSpec<CpuValues> = {
  v1Name: 'cpu',
  v2Name: 'cpu',
  files: { v1: cpuV1Files, v2: cpuV2Files },
  open: plainTunables,
};

/** CPU-time accounting (v1's cpuacct hierarchy; on v2 part of cpu): nothing to tune, the time used. */
export const CPUACCT: ControllerSpec<NoValues, CpuacctFiles, CpuacctCgroup> = {
  v1Name: 'cpuacct',
  v2Name: 'cpu',
  files: { v1: cpuacctV1Files, v2: cpuacctV2Files },
  open: (fs, files, dir) => new CpuacctCgroup(fs, files, dir),
};

/**
 * The blkio controller (v2: io): weights and per-device throttles. Its file tables are the BFQ variants; each
 * cgroup directory picks the variant its files call for (BFQ's weight, CFQ's, none).
 */
export const BLKIO: ControllerSpec<BlkioValues> = {
  v1Name: 'blkio',
  v2Name: 'io',
  files: { v1: blkioV1BfqFiles, v2: blkioV2BfqFiles },
  open: plainTunables,
};
