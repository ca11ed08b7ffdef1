import { mkdtempSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  hasCapSysResource,
  readMemlock,
  setMemlock,
  signalProcess,
  spawnQemu,
  waitForExit,
  type SpawnedQemu,
} from '../../../src/drivers/qemu/process.js';
import { eventually } from '../../helpers/eventually.js';

// RLIMIT_MEMLOCK on a real process, with values below any ceiling so they are observable even where this
// process lacks CAP_SYS_RESOURCE (this sandbox: hard limit 8 MiB, which every QEMU-sized hard_limit exceeds).
// The "emulator" is sleep: what is tested is the launcher and prlimit, not QEMU.
describe('RLIMIT_MEMLOCK of a launched process', () => {
  let dir: string;
  let proc: SpawnedQemu | undefined;
  const own = (): Promise<readonly [string, string]> => readMemlock(process.pid);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `virtune-memlock-${process.pid}-`));
  });
  afterEach(async () => {
    if (proc) {
      await signalProcess(proc, 'SIGKILL');
      expect(await waitForExit(proc, 10_000, proc.exited)).toBe(true);
    }
    proc = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is set before exec, follows lowering and raising, and goes back to the inherited limits', async () => {
    proc = await spawnQemu({ emulator: '/bin/sleep', args: ['600'], memlockKiB: 4096n, logFile: join(dir, 'log') });
    const pid = proc.pid;
    // spawnQemu returns while the launcher shell may still run; the limits are final once it has exec'd.
    await eventually(() => (readlinkSync(`/proc/${pid}/exe`) === realpathSync('/bin/sleep') ? true : undefined), 10_000, 'the exec');
    const [, ownHard] = await own();
    // Without CAP_SYS_RESOURCE a hard limit once lowered cannot be raised again, so only the soft limit follows
    // and the hard limit stays the one inherited; with it, both are set, as libvirt does.
    const hardOf = (bytes: bigint): string => (hasCapSysResource() ? String(bytes) : ownHard);
    expect(await readMemlock(proc.pid)).toEqual(['4194304', hardOf(4194304n)]);
    await setMemlock(proc.pid, 2048n, await own());
    expect(await readMemlock(proc.pid)).toEqual(['2097152', hardOf(2097152n)]);
    await setMemlock(proc.pid, 3072n, await own());
    expect(await readMemlock(proc.pid)).toEqual(['3145728', hardOf(3145728n)]);
    await setMemlock(proc.pid, undefined, await own());
    expect(await readMemlock(proc.pid)).toEqual([...(await own())]);
  });
});
