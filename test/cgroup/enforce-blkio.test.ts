import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { BLKIO } from '../../src/cgroup/controllers.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { attachLoopDevice, type LoopDevice } from '../helpers/loop-device.js';
import { skipUnless } from '../helpers/prereq.js';

/** Runs `dd` inside the cgroup of `procsFile`; resolves with dd's own report (bytes and seconds). */
function ddInCgroup(procsFile: string, args: string[]): Promise<{ bytes: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'echo $$ > "$1" || exit 126; shift; exec dd "$@"', 'sh', procsFile, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      // "8388608 bytes (8.4 MB, 8.0 MiB) copied, 1.99 s, 4.2 MB/s"
      const m = /^(\d+) bytes .* copied, ([\d.]+) s/m.exec(err);
      if (code !== 0 || !m) reject(new Error(`dd exited ${code}: ${err}`));
      else resolve({ bytes: Number(m[1]), seconds: Number(m[2]) });
    });
  });
}

/**
 * The kernel enforces what the blkio table writes: a direct-I/O writer on a loop device of its own, in a real
 * cgroup with a write_bps limit. dd measures its own elapsed time; waiting on a throttle is sleeping, so the
 * machine's CPU load barely moves it.
 */
describe.skipIf(skipUnless('root', 'cgroup-v1-blkio', 'loop-device'))('blkio limits enforced by the kernel', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let host: HostCgroups;
  let loop: LoopDevice;

  beforeAll(() => {
    host = HostCgroups.open({ parent, controllers: [BLKIO] })!;
    loop = attachLoopDevice(32 << 20);
  });
  afterAll(async () => {
    loop?.remove();
    await removeCgroupDir(`${host.root}/${parent}`);
  });

  it('holds a direct-I/O writer to write_bps = 4 MiB/s: 8 MiB take 2 s (rate within -20 % / +10 %)', async () => {
    const cg = host.domain(`writer-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
    const limit = 4 * 1024 * 1024;
    cg.tunables(BLKIO).apply({ devices: { [loop.device]: { writeBps: BigInt(limit) } } });
    const { bytes, seconds } = await ddInCgroup(cg.procsFile, ['if=/dev/zero', `of=${loop.path}`, 'bs=256K', 'count=32', 'oflag=direct']);
    expect(bytes).toBe(8 * 1024 * 1024);
    const rate = bytes / seconds;
    expect(rate).toBeLessThan(limit * 1.1);
    expect(rate).toBeGreaterThan(limit * 0.8);
    // The cgroup's own counter saw every byte go to that device.
    const served = new RegExp(`^${loop.device} Write (\\d+)$`, 'm').exec(readFileSync(`${cg.path}/blkio.throttle.io_service_bytes`, 'utf8'));
    expect(Number(served?.[1])).toBe(bytes);
  });
});
