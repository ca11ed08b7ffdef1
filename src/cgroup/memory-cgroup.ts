import type { MemTune } from '../xml/domain-def.js';
import type { MemoryBackend } from './backend.js';
import type { CgroupFileSystem } from './cgroup-fs.js';
import { CgroupTunables } from './tunables.js';

/** A domain cgroup's memory controller: memtune's limits, and the figures drivers read (usage, OOM kills). */
export class MemoryCgroup extends CgroupTunables<MemTune> {
  constructor(
    fs: CgroupFileSystem,
    override readonly files: MemoryBackend,
    dir: string,
  ) {
    super(fs, files, dir);
  }

  /** Current memory usage, KiB. */
  usageKiB(): bigint {
    return BigInt(this.readFile(this.files.usageFile)) >> 10n;
  }

  /** Processes the OOM killer has killed in this cgroup since it was created. */
  oomKills(): number {
    return this.files.oomKills(this.readFile);
  }
}
