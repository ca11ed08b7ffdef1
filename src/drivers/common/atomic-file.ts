import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { processStartTime } from './process-identity.js';

/**
 * A temporary name beside `path` no other writer picks: this process's pid and 32 random bits, which only keep two
 * writes of one process apart (the file is created exclusively, so a clash fails, never mixes). Math.random rather
 * than node:crypto, whose import costs a command-line start ~5 ms of CPU (see sha256.ts).
 */
function temporaryPathBeside(path: string): string {
  return `${path}.tmp-${process.pid}-${Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0')}`;
}

/** fsyncs a directory so a rename or unlink in it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/** How a file is replaced or removed. */
export interface AtomicWriteOptions {
  /** File mode of a new file. Default 0600. */
  mode?: number;
  /**
   * fsync the file and its directory, so the change survives a host crash (default true). Turn it off only for
   * files that mean nothing after a reboot (the status of a running domain): the rename stays atomic, so a
   * reader still sees the old content or the new one, and the call is 5–10× cheaper.
   */
  durable?: boolean;
}

/**
 * Replaces `path` with `data` atomically: write a temporary file beside it, fsync it, rename it over `path`,
 * fsync the directory. A reader sees the old content or the new one, never a mix, even after a crash
 * (without `durable`, only while the host stays up).
 */
export async function writeFileAtomic(path: string, data: string, options: number | AtomicWriteOptions = {}): Promise<void> {
  const { mode = 0o600, durable = true } = typeof options === 'number' ? { mode: options } : options;
  const tmp = temporaryPathBeside(path);
  const fd = await open(tmp, 'wx', mode);
  try {
    try {
      await fd.writeFile(data, 'utf8');
      if (durable) await fd.sync();
    } finally {
      await fd.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  if (durable) await fsyncDir(dirname(path));
}

/**
 * {@link writeFileAtomic} without `durable`, synchronously: for a small file that means nothing after a reboot (a
 * running domain's status), written while a lock is held, so the lock is not held across thread-pool round trips.
 */
export function writeFileAtomicSync(path: string, data: string, mode = 0o600): void {
  const tmp = temporaryPathBeside(path);
  try {
    writeFileSync(tmp, data, { encoding: 'utf8', mode, flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created, or renamed already */
    }
    throw e;
  }
}

/** A temporary file of {@link writeFileAtomic}: `FILE.tmp-PID-HEX`, with the writer's pid. */
const TEMP_FILE = /\.tmp-(\d+)-[0-9a-f]+$/;

/**
 * The pid of the process that wrote `file` as a temporary file of {@link writeFileAtomic}, when its name says so.
 */
export function tempFileWriter(file: string): number | undefined {
  const m = TEMP_FILE.exec(file);
  return m ? Number(m[1]) : undefined;
}

/** USER_HZ: the unit of process start times in /proc (100 on every Linux architecture Node runs on). */
const CLOCK_TICKS_PER_S = 100;

/** When the process `pid` started, ms since the epoch; undefined when there is no such process. */
function processStartedAtMs(pid: number): number | undefined {
  const ticks = processStartTime(pid);
  if (ticks === undefined) return undefined;
  // Boot time to 10 ms (/proc/stat's btime is whole seconds): now less the uptime.
  const bootMs = Date.now() - Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
  return bootMs + (Number(ticks) * 1000) / CLOCK_TICKS_PER_S;
}

/**
 * True when `path` is a temporary file of {@link writeFileAtomic} whose writer no longer runs: a write killed
 * between creating it and renaming it. A process with the writer's pid that started after the file was last
 * written is another process (pids are reused, within seconds on a busy host with pid_max 32768); the file of a
 * writer that may still be writing is kept.
 */
export async function isDeadWritersTempFile(path: string): Promise<boolean> {
  const pid = tempFileWriter(path);
  if (pid === undefined) return false;
  const started = processStartedAtMs(pid);
  if (started === undefined) return true;
  try {
    // Start times and the boot time each have a resolution of one tick (10 ms): allow for both.
    return started > (await stat(path)).mtimeMs + 30;
  } catch {
    return false;
  }
}

/**
 * `mkdir -p`, failing with the real cause. Node's `mkdir(path, { recursive: true })` reports ENOENT for a path
 * on a read-only file system (it gives up on the missing leaf, not on the parent it cannot write); this walks up
 * to the first directory that exists and creates each one below it, so the error is that of the first mkdir
 * that failed: EROFS, EACCES, ENOSPC, ENOTDIR.
 */
export async function makeDirs(path: string, mode: number): Promise<void> {
  const missing: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      await stat(dir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw e;
      missing.unshift(dir);
    }
  }
  for (const dir of missing) {
    try {
      await mkdir(dir, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Removes `path` (durably unless `durable` is false); a missing file is not an error. */
export async function removeFileDurably(path: string, durable = true): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (durable) await fsyncDir(dirname(path));
}
