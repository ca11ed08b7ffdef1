import type { CgroupFileSystem } from './cgroup-fs.js';
import { cgroupReadError, cgroupWriteError } from './system-error.js';

/** One file write of a transaction, in the order it must happen. */
export interface CgroupWrite {
  /** Absolute path of the cgroup file. */
  path: string;
  /** The exact text written (already range-checked by the backend). */
  value: string;
  /**
   * What the file holds now, when the caller knows it (`DomainCgroup.knownLimits`): the undo log takes it
   * instead of reading the file. Writing it back restores the kernel's value (it rounds the same way again).
   */
  previous?: string;
}

/** A transaction that went through: it can still be undone, e.g. when saving the definition fails afterwards. */
export interface AppliedCgroupTransaction {
  /** The writes made, in order. */
  readonly writes: readonly CgroupWrite[];
  /** Restores every written file to its previous content, last first. Returns the failures (none normally). */
  rollback(): unknown[];
}

/**
 * Writes `writes` in order, keeping an undo log of each file's previous content (given, or read just before
 * the write). When a write fails, every file already written is restored (in reverse order, which keeps v1's
 * `limit <= memsw.limit` true at every step) and libvirt's error for the failed write is thrown, with its
 * errno; nothing is left half-applied.
 */
export function runCgroupTransaction(fs: CgroupFileSystem, writes: readonly CgroupWrite[]): AppliedCgroupTransaction {
  const undo: CgroupWrite[] = [];
  const rollback = (): unknown[] => {
    const failures: unknown[] = [];
    for (const step of [...undo].reverse()) {
      try {
        fs.writeFile(step.path, step.value);
      } catch (e) {
        failures.push(cgroupWriteError(step.path, step.value, e));
      }
    }
    undo.length = 0;
    return failures;
  };
  for (const w of writes) {
    let previous: string;
    try {
      previous = w.previous ?? fs.readFile(w.path).trim();
    } catch (e) {
      rollback();
      // A file that cannot be read cannot be written either; say so as a write, which is what was asked.
      throw cgroupWriteError(w.path, w.value, e);
    }
    try {
      fs.writeFile(w.path, w.value);
    } catch (e) {
      const failures = rollback();
      const err = cgroupWriteError(w.path, w.value, e);
      if (failures.length > 0) Object.assign(err, { rollbackFailures: failures });
      throw err;
    }
    undo.push({ path: w.path, value: previous });
  }
  return { writes, rollback };
}

/** Reads one cgroup file, trimmed, as libvirt's error on failure. */
export function readCgroupFile(fs: CgroupFileSystem, path: string): string {
  try {
    return fs.readFile(path).trim();
  } catch (e) {
    throw cgroupReadError(path, e);
  }
}
