import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A loop device over a sparse file in a temp dir of its own (losetup, lsblk: util-linux). */
export interface LoopDevice {
  /** `/dev/loopN`. */
  readonly path: string;
  /** Its device number, `MAJ:MIN`. */
  readonly device: string;
  /** Detaches exactly this device and removes its file. */
  remove(): void;
}

export function attachLoopDevice(sizeBytes: number): LoopDevice {
  const dir = mkdtempSync(join(tmpdir(), 'virtune-loop-'));
  const file = join(dir, 'disk');
  writeFileSync(file, '');
  truncateSync(file, sizeBytes);
  let path: string;
  try {
    path = execFileSync('losetup', ['--find', '--show', file], { encoding: 'utf8' }).trim();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const device = execFileSync('lsblk', ['--nodeps', '--noheadings', '--output', 'MAJ:MIN', path], { encoding: 'utf8' }).trim();
  return {
    path,
    device,
    remove() {
      try {
        execFileSync('losetup', ['--detach', path]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
