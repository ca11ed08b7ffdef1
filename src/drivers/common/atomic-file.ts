import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

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
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
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

/** A temporary file of {@link writeFileAtomic}: `FILE.tmp-PID-HEX`, with the writer's pid. */
const TEMP_FILE = /\.tmp-(\d+)-[0-9a-f]+$/;

/**
 * The pid of the process that wrote `file` as a temporary file of {@link writeFileAtomic}, when its name says so.
 */
export function tempFileWriter(file: string): number | undefined {
  const m = TEMP_FILE.exec(file);
  return m ? Number(m[1]) : undefined;
}

/**
 * True when `file` is a temporary file of {@link writeFileAtomic} whose writer no longer runs: a write killed
 * between creating it and renaming it. A live writer's file (or one whose pid was reused since) is kept.
 */
export function isDeadWritersTempFile(file: string): boolean {
  const pid = tempFileWriter(file);
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
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
