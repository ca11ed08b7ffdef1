import * as fs from 'node:fs';

/**
 * The few file operations the cgroup layer performs. Synchronous on purpose: a cgroup file write takes ~16 µs
 * that way and ~20 times longer through fs.promises, and a transaction's writes then cannot interleave with
 * another task's. Tests substitute an implementation that injects errors into a cgroupfs-like directory tree.
 */
export interface CgroupFileSystem {
  /** The file's content (cgroup files are small). */
  readFile(path: string): string;
  /** Writes `value` into an existing file; never creates one (a missing file is ENOENT). */
  writeFile(path: string, value: string): void;
  /** Creates a cgroup directory; EEXIST when it exists. */
  mkdir(path: string): void;
  /** Removes a cgroup directory; EBUSY while it holds processes or children. */
  rmdir(path: string): void;
  exists(path: string): boolean;
  /** The names of the directories in a directory (a cgroup's child cgroups). */
  subdirs(path: string): string[];
  /**
   * An open handle on an existing cgroup file, for {@link OpenCgroupFiles} to write and read it again without
   * opening it each time; undefined when this file system keeps none for `path` (then every operation goes by
   * path). Optional: a file system without it is used by path alone.
   */
  open?(path: string): CgroupFileHandle | undefined;
}

/**
 * One cgroup file kept open. A kernfs file takes each write whole, whatever the offset, and regenerates its text
 * for a read at offset 0; one whose cgroup was removed fails every operation with ENODEV, even once another
 * cgroup is made under the same path (the handle stays bound to the removed one).
 */
export interface CgroupFileHandle {
  /** Writes `value` as one write at offset 0 (cgroupfs's way of taking a value). */
  write(value: string): void;
  /** The file's text, read from offset 0. */
  read(): string;
  close(): void;
}

/** statfs(2) f_type of cgroup v1's and cgroup2's file systems (linux/magic.h). */
const CGROUP_SUPER_MAGIC = 0x27e0eb;
const CGROUP2_SUPER_MAGIC = 0x63677270;

/** True when `path` is on a cgroup filesystem (v1 or v2), not a tree merely laid out like one, as tests use. */
export function isCgroupFs(path: string): boolean {
  try {
    const type = fs.statfsSync(path).type;
    return type === CGROUP_SUPER_MAGIC || type === CGROUP2_SUPER_MAGIC;
  } catch {
    return false;
  }
}

/** Holds one read of any cgroup file's text but the longest (memory.stat); a longer one is read in parts. */
const readBuffer = Buffer.allocUnsafe(8192);

/** A file of a real cgroupfs held open read-write: pwrite and pread at offset 0. */
class KernfsFileHandle implements CgroupFileHandle {
  constructor(private readonly fd: number) {}

  write(value: string): void {
    fs.writeSync(this.fd, value, 0);
  }

  read(): string {
    let n = fs.readSync(this.fd, readBuffer, 0, readBuffer.length, 0);
    if (n < readBuffer.length) return readBuffer.toString('utf8', 0, n);
    const parts = [Buffer.from(readBuffer)];
    let at = n;
    while ((n = fs.readSync(this.fd, readBuffer, 0, readBuffer.length, at)) > 0) {
      parts.push(Buffer.from(readBuffer.subarray(0, n)));
      at += n;
    }
    return Buffer.concat(parts).toString('utf8');
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** The real filesystem. */
export const realCgroupFs: CgroupFileSystem = {
  readFile: (path) => fs.readFileSync(path, 'utf8'),
  writeFile(path, value) {
    // O_WRONLY without O_CREAT: writing into a fake tree must not invent files, and cgroupfs never wants them.
    const fd = fs.openSync(path, fs.constants.O_WRONLY);
    try {
      fs.writeSync(fd, value);
    } finally {
      fs.closeSync(fd);
    }
  },
  mkdir: (path) => fs.mkdirSync(path),
  rmdir: (path) => fs.rmdirSync(path),
  exists: (path) => fs.existsSync(path),
  subdirs: (path) =>
    fs
      .readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name),
  open(path) {
    // Only on cgroupfs, whose files take each write whole and make their text afresh for a read at offset 0: there
    // a held descriptor is known to act as a fresh open each time. Read-write, so a file written can be read back.
    if (!isCgroupFs(path)) return undefined;
    try {
      return new KernfsFileHandle(fs.openSync(path, fs.constants.O_RDWR));
    } catch {
      // The operation by path reports the error as it always did.
      return undefined;
    }
  },
};
