import { existsSync } from 'node:fs';
import { removeFileDurably } from './atomic-file.js';

/**
 * Runs `start` (a domain start that creates `files`, such as its logs); if it fails, removes every one of
 * `files` it created, so a failed start leaves nothing behind. Files that existed before (the log of an earlier
 * run) are kept. The error message already carries what the log said.
 */
export async function removingCreatedOnFailure<T>(files: readonly string[], start: () => Promise<T>): Promise<T> {
  const before = files.filter((f) => existsSync(f));
  try {
    return await start();
  } catch (e) {
    for (const f of files) if (!before.includes(f)) await removeFileDurably(f, false).catch(() => undefined);
    throw e;
  }
}

/** Removes `files` (a domain's logs, once it is undefined); a missing one is not an error. */
export async function removeDomainFiles(files: readonly string[]): Promise<void> {
  for (const f of files) await removeFileDurably(f, false);
}
