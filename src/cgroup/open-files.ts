import type { CgroupFileHandle, CgroupFileSystem } from './cgroup-fs.js';
import { errnoOf } from './system-error.js';

/**
 * The most cgroup files this process holds open at once, all domains together; past it files go by path. It keeps
 * a host with many running domains far from the descriptor limit the rest of the process needs.
 */
export const MAX_OPEN_CGROUP_FILES = 512;

/** Handles held open now, by every {@link OpenCgroupFiles} of the process. */
let heldOpen = 0;

/** How many cgroup files the process holds open now (tests watch it return to where it was). */
export function openCgroupFileCount(): number {
  return heldOpen;
}

/**
 * A running domain's cgroup files held open between changes: once told to {@link keepOpen}, each file written
 * is opened once (read-write) and later written and read through that descriptor, which saves the open and
 * close that are most of a cgroup file write's cost. Otherwise, and for every other operation, it is `base`.
 *
 * A handle outlives nothing: {@link close} (the domain's run is let go, its cgroup removed) closes them all. One
 * whose cgroup was removed fails with ENODEV, never writing into a cgroup made again under the same path; the
 * operation then goes by path, as every operation did before files were kept open (and as libvirt's do).
 */
export class OpenCgroupFiles implements CgroupFileSystem {
  readonly #handles = new Map<string, CgroupFileHandle>();
  /** Files `base` would not open (not on cgroupfs): not asked again, each of their writes goes by path. */
  readonly #byPath = new Set<string>();
  #keep = false;

  constructor(readonly base: CgroupFileSystem) {}

  /** From now on, keeps each file written open (when `base` can: {@link CgroupFileSystem.open}). */
  keepOpen(): void {
    this.#keep = true;
  }

  /** Closes every file held open and keeps none from now on. Idempotent. */
  close(): void {
    this.#keep = false;
    this.#byPath.clear();
    this.closeHandles();
  }

  /** Closes every file held open; later writes open them again while {@link keepOpen} holds. */
  closeHandles(): void {
    for (const handle of this.#handles.values()) this.#closeHandle(handle);
    this.#handles.clear();
  }

  /** How many files this one holds open. */
  get size(): number {
    return this.#handles.size;
  }

  readFile(path: string): string {
    const handle = this.#handles.get(path);
    if (handle !== undefined) {
      try {
        return handle.read();
      } catch (e) {
        if (!this.#droppedAsGone(path, handle, e)) throw e;
      }
    }
    return this.base.readFile(path);
  }

  writeFile(path: string, value: string): void {
    const handle = this.#handles.get(path) ?? this.#open(path);
    if (handle !== undefined) {
      try {
        handle.write(value);
        return;
      } catch (e) {
        if (!this.#droppedAsGone(path, handle, e)) throw e;
      }
    }
    this.base.writeFile(path, value);
  }

  mkdir(path: string): void {
    this.base.mkdir(path);
  }

  rmdir(path: string): void {
    this.base.rmdir(path);
  }

  exists(path: string): boolean {
    return this.base.exists(path);
  }

  subdirs(path: string): string[] {
    return this.base.subdirs(path);
  }

  #open(path: string): CgroupFileHandle | undefined {
    if (!this.#keep || this.base.open === undefined || heldOpen >= MAX_OPEN_CGROUP_FILES || this.#byPath.has(path)) return undefined;
    const handle = this.base.open(path);
    if (handle === undefined) {
      this.#byPath.add(path);
      return undefined;
    }
    this.#handles.set(path, handle);
    heldOpen++;
    return handle;
  }

  /**
   * True when `e` says the handle's cgroup is gone (ENODEV): the handle is closed and forgotten. A per-device file
   * also says ENODEV for a device the kernel does not know; the write by path that follows then fails the same way
   * it always did, and the file is opened again on its next write.
   */
  #droppedAsGone(path: string, handle: CgroupFileHandle, e: unknown): boolean {
    if (errnoOf(e) !== 'ENODEV') return false;
    this.#handles.delete(path);
    this.#closeHandle(handle);
    return true;
  }

  #closeHandle(handle: CgroupFileHandle): void {
    heldOpen--;
    try {
      handle.close();
    } catch {
      // close(2) releases the descriptor even when it reports an error: nothing is left to retry.
    }
  }
}
