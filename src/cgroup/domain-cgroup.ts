import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { MemTune } from '../xml/domain-def.js';
import type { MemoryBackend, MemTuneField } from './backend.js';
import type { CgroupFileSystem } from './cgroup-fs.js';
import { errnoOf, systemError } from './system-error.js';
import { readCgroupFile, runCgroupTransaction, type AppliedCgroupTransaction, type CgroupWrite } from './transaction.js';

/**
 * One domain's memory cgroup: a directory under the controller's root. It removes only itself, never a
 * parent or a sibling.
 *
 * It remembers the limits it last read or wrote ({@link knownLimits}), so a change reads no file: the order of
 * the writes and the undo log come from what it knows, and a live change of one limit is one write. The kernel
 * files stay the truth: {@link readLimits} reads them all (getMemoryParameters, reconnect) and refreshes what
 * is remembered, and a failed or rolled-back change forgets it. This assumes, as libvirt does, that one driver
 * manages a domain's limits: a limit changed behind its back is written again whenever a change names it, is
 * seen by the next {@link readLimits}, and until then a rollback would restore the value this object knew.
 */
export class DomainCgroup {
  /** The managed limits as last read from or written to the files; undefined when not known. */
  #known: Partial<MemTune> | undefined;

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

  /** The tunables the kernel holds, KiB; only the fields this cgroup version stores. Read from the files. */
  readLimits(): Partial<MemTune> {
    const limits = this.backend.decode(this.read);
    this.#known = limits;
    return { ...limits };
  }

  /**
   * The tunables as this object last read or wrote them (read from the files when it has not yet): what a
   * change is planned against. Kernel rounding (to pages) is not in it; {@link readLimits} has it.
   */
  knownLimits(): Partial<MemTune> {
    return this.#known ? { ...this.#known } : this.readLimits();
  }

  /** Forgets the remembered limits, so the next {@link knownLimits} reads the files. */
  forgetLimits(): void {
    this.#known = undefined;
  }

  /** Current memory usage, KiB. */
  usageKiB(): bigint {
    const text = this.read(this.backend.usageFile);
    return BigInt(text) >> 10n;
  }

  /** Processes the OOM killer has killed in this cgroup since it was created. */
  oomKills(): number {
    return this.backend.oomKills(this.read);
  }

  /**
   * The ordered writes that take the {@link knownLimits} to `next` (unmanaged fields are ignored): every file
   * whose text changes, and the file of every field in `touched` (what the caller was asked to set) even when
   * it seems unchanged, each with its known previous text for the undo log. Every value is range-checked here,
   * before anything is written.
   */
  planLimits(next: MemTune, touched: readonly MemTuneField[] = []): CgroupWrite[] {
    const current: MemTune = { ...next, ...this.knownLimits() };
    const want = this.backend.encode(next);
    const have = this.backend.encode(current);
    const forced = new Set(touched.map((f) => this.backend.fileOf[f]));
    return this.backend
      .writeOrder(current, next)
      .filter((f) => want[f] !== have[f] || forced.has(f))
      .map((f) => ({ path: this.file(f), value: want[f]!, previous: have[f]! }));
  }

  /**
   * Applies `next` all or nothing, with the writes `plan` (default: {@link planLimits}); the result can still
   * be rolled back. Afterwards `next` is what this object knows the files hold; after a failure or a rollback
   * it knows nothing, and the next change reads the files again.
   */
  applyLimits(next: MemTune, plan: readonly CgroupWrite[] = this.planLimits(next)): AppliedCgroupTransaction {
    let tx: AppliedCgroupTransaction;
    try {
      tx = runCgroupTransaction(this.fs, plan);
    } catch (e) {
      this.#known = undefined;
      throw e;
    }
    const known: Partial<MemTune> = {};
    for (const f of this.backend.fields) known[f] = next[f];
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
