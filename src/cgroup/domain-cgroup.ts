import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { ControllerFiles } from './backend.js';
import type { CgroupFileSystem } from './cgroup-fs.js';
import type { ControllerSpec } from './controllers.js';
import { OpenCgroupFiles } from './open-files.js';
import { cgroupWriteError, errnoOf, systemError } from './system-error.js';
import { readCgroupFile } from './transaction.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec = ControllerSpec<any, any, any>;

/** Where one controller lives on this host: its spec, the file table of the version found, its mount. */
export interface ControllerPlacement {
  // The tunables type varies by controller; each is used through its own spec.
  readonly spec: AnySpec;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly files: ControllerFiles<any>;
  /** The hierarchy's mount (v1) or the cgroup2 mount (v2). */
  readonly root: string;
}

/**
 * One domain's cgroup, spanning the controllers its driver needs: one directory per hierarchy (v2: one; v1: one
 * per mount, co-mounted controllers sharing it), all at the same relative path. It removes only itself, never a
 * parent or a sibling. Each controller's tunables are reached through {@link tunables} ({@link memory} for the
 * memory controller); this class knows no controller's files.
 */
export class DomainCgroup {
  readonly #tunables = new Map<AnySpec, unknown>();

  /** The files its tunables are written through, shared with its thread groups ({@link keepFilesOpen}). */
  readonly #files: OpenCgroupFiles;

  /**
   * @param placements the controllers spanned, the first one's directory being {@link path}.
   * @param relPath the escaped path under each root, from {@link domainCgroupRelPath}.
   * @param threaded a cgroup for some threads of its parent's processes ({@link threadGroup}); v2 makes it a
   * threaded cgroup.
   * @param files the parent's open files, for a thread group.
   */
  constructor(
    readonly fs: CgroupFileSystem,
    readonly placements: readonly ControllerPlacement[],
    readonly relPath: string,
    readonly threaded = false,
    files?: OpenCgroupFiles,
  ) {
    if (placements.length === 0) throw new Error('a domain cgroup needs at least one controller');
    this.#files = files ?? new OpenCgroupFiles(fs);
  }

  /**
   * From now on, keeps each tunable file written (here and in the thread groups) open for the next change, until
   * {@link closeFiles} or {@link remove}: for the cgroup of a running domain, whose live changes then cost one
   * write each instead of an open, a write and a close. A cgroup made and dropped in passing never calls it.
   */
  keepFilesOpen(): void {
    this.#files.keepOpen();
  }

  /** Closes the files {@link keepFilesOpen} kept, and keeps none from now on (the run is let go). Idempotent. */
  closeFiles(): void {
    this.#files.close();
  }

  /** How many tunable files are held open now (here and in the thread groups). */
  get openFiles(): number {
    return this.#files.size;
  }

  /** The mount of the first controller (the only one on v2). */
  get root(): string {
    return this.placements[0]!.root;
  }

  /** Absolute directory of the cgroup in the first controller's hierarchy. */
  get path(): string {
    return `${this.root}/${this.relPath}`;
  }

  /** Every directory of the cgroup, one per hierarchy spanned. */
  get dirs(): string[] {
    return [...new Set(this.placements.map((p) => `${p.root}/${this.relPath}`))];
  }

  /** The file a process is written to, to join the cgroup in the first hierarchy. */
  get procsFile(): string {
    return `${this.path}/cgroup.procs`;
  }

  /** The files a process is written to, to join the cgroup in every hierarchy spanned. */
  get procsFiles(): string[] {
    return this.dirs.map((d) => `${d}/cgroup.procs`);
  }

  exists(): boolean {
    return this.fs.exists(this.path);
  }

  /**
   * Creates the directories and any missing parents, in every hierarchy (enabling the controllers on the way
   * down, for v2). An existing empty directory left by a crash is reused; one holding processes is refused.
   */
  create(): void {
    for (const root of new Set(this.placements.map((p) => p.root))) {
      const here = this.placements.filter((p) => p.root === root);
      const parts = this.relPath.split('/');
      let dir = root;
      for (const [i, part] of parts.entries()) {
        const last = i === parts.length - 1;
        // A v2 thread group is made threaded, then its parent (which holds processes) gives it the controller. For
        // cpu, a threaded controller, Linux 6.1 takes either order (test/cgroup/v2-guest.test.ts runs this order).
        const enableAfter = last && this.threaded;
        if (!enableAfter) for (const p of here) enableInParent(this.fs, dir, p.files);
        const parent = dir;
        dir = `${dir}/${part}`;
        try {
          this.fs.mkdir(dir);
        } catch (e) {
          if (errnoOf(e) !== 'EEXIST') throw systemError(ErrorDomain.CGROUP, `Unable to create cgroup '${dir}'`, e, dir);
          if (last && !this.threaded && this.#pidsIn(dir).length > 0) {
            throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.CGROUP, `cgroup '${dir}' already holds processes`);
          }
        }
        if (enableAfter) {
          if (here.some((p) => p.files.version === 'v2')) writeCgroupFile(this.fs, `${dir}/cgroup.type`, 'threaded');
          for (const p of here) enableInParent(this.fs, parent, p.files);
        }
      }
    }
  }

  /**
   * A child cgroup for some threads of this cgroup's processes (libvirt's `emulator/` and `vcpuN/` of a QEMU
   * domain), in the hierarchies of `specs` only (they must be ones this cgroup spans); on v2 a threaded cgroup.
   * Not created yet. {@link remove} removes it with its parent.
   */
  threadGroup(name: string, specs: readonly AnySpec[]): DomainCgroup {
    // One handle per group and set of hierarchies, as {@link tunables} keeps one per controller: what its tunables
    // remember is shared by every change (a QEMU domain's scheduler values are set through these on every call).
    const key = `${name}\0${specs.map((s) => s.v1Name).join(',')}`;
    const known = this.#threadGroups.get(key);
    if (known !== undefined) return known;
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`bad thread group name '${name}'`);
    const placements = specs.map((s) => this.#placementOf(s));
    const group = new DomainCgroup(this.fs, placements, `${this.relPath}/${name}`, true, this.#files);
    this.#threadGroups.set(key, group);
    return group;
  }
  readonly #threadGroups = new Map<string, DomainCgroup>();

  /** Moves one thread (a task id) into this cgroup in every hierarchy it spans: v1 `tasks`, v2 `cgroup.threads`. */
  addThread(tid: number): void {
    for (const p of this.placements) {
      const file = p.files.version === 'v1' ? 'tasks' : 'cgroup.threads';
      writeCgroupFile(this.fs, `${p.root}/${this.relPath}/${file}`, String(tid));
    }
  }

  /** The task ids in this cgroup, in its first hierarchy (v1 `tasks`, v2 `cgroup.threads`). */
  threads(): number[] {
    const p = this.placements[0]!;
    const file = `${p.root}/${this.relPath}/${p.files.version === 'v1' ? 'tasks' : 'cgroup.threads'}`;
    if (!this.fs.exists(file)) return [];
    return readCgroupFile(this.fs, file)
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
  }

  /**
   * Removes the directories, each after its child cgroups (thread groups), deepest first (EBUSY while processes
   * remain), after closing the files held open. A missing directory is not an error.
   */
  remove(): void {
    this.#files.closeHandles();
    for (const dir of this.dirs) this.#removeDir(dir);
  }

  #removeDir(dir: string): void {
    let children: string[];
    try {
      children = this.fs.subdirs(dir);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return;
      throw systemError(ErrorDomain.CGROUP, `Unable to remove cgroup '${dir}'`, e, dir);
    }
    for (const child of children) this.#removeDir(`${dir}/${child}`);
    try {
      this.fs.rmdir(dir);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return;
      throw systemError(ErrorDomain.CGROUP, `Unable to remove cgroup '${dir}'`, e, dir);
    }
  }

  /** The pids in the cgroup (empty when it does not exist). */
  pids(): number[] {
    return this.#pidsIn(this.path);
  }

  #pidsIn(dir: string): number[] {
    if (!this.fs.exists(dir)) return [];
    return readCgroupFile(this.fs, `${dir}/cgroup.procs`)
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
  }

  /** Whether this cgroup spans controller `spec`. */
  has(spec: AnySpec): boolean {
    return this.placements.some((p) => p.spec === spec);
  }

  /**
   * The handle on controller `spec`'s tunables in this cgroup (`tunables(MEMORY).apply(memtune)`), one per
   * controller, so what it remembers is shared; the controller must be one the cgroup spans.
   */
  tunables<S extends AnySpec>(spec: S): ReturnType<S['open']> {
    const known = this.#tunables.get(spec) as ReturnType<S['open']> | undefined;
    if (known !== undefined) return known;
    const p = this.#placementOf(spec);
    const t = spec.open(this.#files, p.files, `${p.root}/${this.relPath}`) as ReturnType<S['open']>;
    this.#tunables.set(spec, t);
    return t;
  }

  #placementOf(spec: AnySpec): ControllerPlacement {
    const p = this.placements.find((x) => x.spec === spec);
    if (p === undefined) throw new Error(`cgroup '${this.relPath}' does not span the ${spec.v1Name} controller`);
    return p;
  }
}

/** Writes one cgroup core file, as libvirt's error on failure. */
function writeCgroupFile(fs: CgroupFileSystem, path: string, value: string): void {
  try {
    fs.writeFile(path, value);
  } catch (e) {
    throw cgroupWriteError(path, value, e);
  }
}

/** v2 gives a child a controller only when its parent lists it in `cgroup.subtree_control`; v1 needs nothing. */
function enableInParent(fs: CgroupFileSystem, parentDir: string, files: { version: 'v1' | 'v2'; controller: string }): void {
  if (files.version === 'v1') return;
  const control = `${parentDir}/cgroup.subtree_control`;
  if (readCgroupFile(fs, control).split(/\s+/).includes(files.controller)) return;
  writeCgroupFile(fs, control, `+${files.controller}`);
}
