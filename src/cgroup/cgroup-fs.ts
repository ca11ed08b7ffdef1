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
};
