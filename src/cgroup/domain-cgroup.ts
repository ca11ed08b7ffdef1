import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { MemTune } from '../xml/domain-def.js';
import type { MemoryBackend } from './backend.js';
import type { CgroupFileSystem } from './cgroup-fs.js';
import { errnoOf, systemError } from './system-error.js';
import { readCgroupFile, runCgroupTransaction, type AppliedCgroupTransaction, type CgroupWrite } from './transaction.js';

/**
 * One domain's memory cgroup: a directory under the controller's root. It removes only itself, never a
 * parent or a sibling.
 */
export class DomainCgroup {
  /**
   * @param root the controller's mount (v1 memory hierarchy or the cgroup2 mount).
   * @param relPath the escaped path under it, from {@link domainCgroupRelPath}.
   */
  constructor(
    readonly fs: CgroupFileSystem,
    readonly backend: MemoryBackend,
    readonly root: string,
    readonly relPath: string,
  ) {}

  /** Absolute directory of the cgroup. */
  get path(): string {
    return `${this.root}/${this.relPath}`;
  }

  /** The file processes are written to, to join the cgroup. */
  get procsFile(): string {
    return `${this.path}/cgroup.procs`;
  }

  /** Absolute path of one of its files. */
  file(name: string): string {
    return `${this.path}/${name}`;
  }

  private read = (name: string): string => readCgroupFile(this.fs, this.file(name));

  exists(): boolean {
    return this.fs.exists(this.path);
  }

  /**
   * Creates the directory and any missing parents (enabling the memory controller on the way down, for v2).
   * An existing empty directory left by a crash is reused; one holding processes is refused.
   */
  create(): void {
    const parts = this.relPath.split('/');
    let dir = this.root;
    for (const [i, part] of parts.entries()) {
      this.backend.enableInParent(this.fs, dir);
      dir = `${dir}/${part}`;
      try {
        this.fs.mkdir(dir);
      } catch (e) {
        if (errnoOf(e) !== 'EEXIST') throw systemError(ErrorDomain.CGROUP, `Unable to create cgroup '${dir}'`, e, dir);
        if (i === parts.length - 1 && this.pids().length > 0) {
          throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.CGROUP, `cgroup '${dir}' already holds processes`);
        }
      }
    }
  }

  /** Removes the directory (EBUSY while processes remain). A missing directory is not an error. */
  remove(): void {
    try {
      this.fs.rmdir(this.path);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return;
      throw systemError(ErrorDomain.CGROUP, `Unable to remove cgroup '${this.path}'`, e, this.path);
    }
  }

  /** The pids in the cgroup (empty when it does not exist). */
  pids(): number[] {
    if (!this.exists()) return [];
    return this.read('cgroup.procs')
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
  }

  /** The tunables the kernel holds, KiB; only the fields this cgroup version stores. */
  readLimits(): Partial<MemTune> {
    return this.backend.decode(this.read);
  }

  /** Current memory usage, KiB. */
  usageKiB(): number {
    const text = this.read(this.backend.usageFile);
    return Number(BigInt(text) >> 10n);
  }

  /** Processes the OOM killer has killed in this cgroup since it was created. */
  oomKills(): number {
    return this.backend.oomKills(this.read);
  }

  /**
   * The ordered writes that take the kernel's values to `next` (unmanaged fields are ignored). Every value is
   * range-checked here, before anything is written.
   */
  planLimits(next: MemTune): CgroupWrite[] {
    const current: MemTune = { ...next, ...this.readLimits() };
    const want = this.backend.encode(next);
    const have = this.backend.encode(current);
    return this.backend
      .writeOrder(current, next)
      .filter((f) => want[f] !== have[f])
      .map((f) => ({ path: this.file(f), value: want[f]! }));
  }

  /** Applies `next` all or nothing; the result can still be rolled back. */
  applyLimits(next: MemTune): AppliedCgroupTransaction {
    return runCgroupTransaction(this.fs, this.planLimits(next));
  }
}
