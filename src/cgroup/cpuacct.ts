import type { ControllerFiles, ReadCgroupFile } from './backend.js';
import type { CgroupFileSystem } from './cgroup-fs.js';
import { parseCgroupInteger } from './integer-text.js';
import { CgroupTunables } from './tunables.js';

/** CPU accounting has nothing to tune: an empty record. */
export type NoValues = Record<never, never>;

/** The CPU-time accounting files of one version: no tunables, the CPU time used. */
export interface CpuacctFiles extends ControllerFiles<NoValues> {
  /** CPU time used by the cgroup's tasks since it was created, ns. */
  usageNs(read: ReadCgroupFile): bigint;
}

const nothing = {
  fields: [],
  fileOf: {},
  encode: () => ({}),
  decode: () => ({}),
  writeOrder: () => [],
} as const;

/** v1: its own hierarchy, `cpuacct.usage` in ns. */
export const cpuacctV1Files: CpuacctFiles = {
  ...nothing,
  controller: 'cpuacct',
  version: 'v1',
  probeFile: 'cpuacct.usage',
  usageNs: (read) => parseCgroupInteger(read('cpuacct.usage'), 'cpuacct.usage'),
};

/** v2: part of the cpu controller, `usage_usec` of cpu.stat (any cgroup2 directory has it). */
export const cpuacctV2Files: CpuacctFiles = {
  ...nothing,
  controller: 'cpu',
  version: 'v2',
  usageNs(read) {
    const m = /^usage_usec (\d+)$/m.exec(read('cpu.stat'));
    return m ? BigInt(m[1]!) * 1000n : parseCgroupInteger(read('cpu.stat'), 'cpu.stat');
  },
};

/** A domain cgroup's CPU accounting: the CPU time its tasks used. */
export class CpuacctCgroup extends CgroupTunables<NoValues> {
  constructor(
    fs: CgroupFileSystem,
    override readonly files: CpuacctFiles,
    dir: string,
  ) {
    super(fs, files, dir);
  }

  /** CPU time used since the cgroup was created, ns. */
  usageNs(): bigint {
    return this.files.usageNs(this.readFile);
  }
}
