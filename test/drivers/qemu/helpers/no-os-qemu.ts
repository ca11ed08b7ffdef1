import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  signalProcess,
  spawnQemu,
  waitForExit,
  type SpawnedQemu,
} from '../../../../src/drivers/qemu/process.js';

/** A QEMU with no guest OS: its monitor answers, its balloon never moves (the non-cooperating guest). */
export interface NoOsQemu {
  proc: SpawnedQemu;
  socket: string;
  dir: string;
  /** Kills this QEMU (only this one, by pid and start time) and removes its directory. */
  dispose(): Promise<void>;
}

/** Starts `qemu-system-x86_64 -M microvm` with a balloon and a QMP socket in a fresh temp dir. */
export async function startNoOsQemu(options: { memMiB?: number; cgroupDir?: string; cgroupDirs?: readonly string[]; smp?: number } = {}): Promise<NoOsQemu> {
  const dir = mkdtempSync(join(tmpdir(), `virtune-qmp-${process.pid}-`));
  const socket = join(dir, 'monitor.sock');
  const proc = await spawnQemu({
    emulator: 'qemu-system-x86_64',
    args: [
      '-M', 'microvm', '-accel', 'tcg,tb-size=32', '-m', `${options.memMiB ?? 64}M`, '-smp', String(options.smp ?? 1),
      '-nodefaults', '-nographic', '-display', 'none',
      '-device', 'virtio-balloon-device,id=balloon0',
      '-qmp', `unix:${socket},server=on,wait=off`,
    ],
    logFile: join(dir, 'qemu.log'),
    ...(options.cgroupDir ? { cgroupDir: options.cgroupDir } : {}),
    ...(options.cgroupDirs ? { cgroupDirs: options.cgroupDirs } : {}),
  });
  return {
    proc,
    socket,
    dir,
    async dispose() {
      await signalProcess(proc, 'SIGCONT');
      await signalProcess(proc, 'SIGKILL');
      await waitForExit(proc, 10_000, proc.exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
