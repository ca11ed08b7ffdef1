import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { BLKIO } from '../../src/cgroup/controllers.js';
import type { DomainCgroup } from '../../src/cgroup/domain-cgroup.js';
import { ErrorCode, VirError } from '../../src/errors.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { attachLoopDevice, type LoopDevice } from '../helpers/loop-device.js';
import { skipUnless } from '../helpers/prereq.js';

describe.skipIf(skipUnless('root', 'cgroup-v1-blkio', 'loop-device'))('cgroup v1 blkio controller on the real kernel', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let host: HostCgroups;
  let loop: LoopDevice;
  let cg: DomainCgroup;
  const file = (name: string): string => readFileSync(`${cg.path}/${name}`, 'utf8').trim();

  beforeAll(() => {
    host = HostCgroups.open({ parent, controllers: [BLKIO] })!;
    loop = attachLoopDevice(64 << 20);
    cg = host.domain(`db-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
  });
  afterAll(async () => {
    loop?.remove();
    await removeCgroupDir(`${host.root}/${parent}`);
  });

  it("uses BFQ's weight file and writes one line per device for each throttle", () => {
    const io = cg.tunables(BLKIO);
    expect(io.table.fileOf.weight).toBe('blkio.bfq.weight'); // this kernel's variant, picked in the directory
    expect(io.read()).toEqual({ weight: 100, devices: {} });
    io.apply({ weight: 300, devices: { [loop.device]: { writeBps: 2097152n, readIops: 40n } } });
    expect(file('blkio.bfq.weight')).toBe('300');
    expect(file('blkio.throttle.write_bps_device')).toBe(`${loop.device} 2097152`);
    expect(file('blkio.throttle.read_iops_device')).toBe(`${loop.device} 40`);
    expect(file('blkio.throttle.read_bps_device')).toBe('');
    expect(io.read()).toEqual({
      weight: 300,
      devices: { [loop.device]: { writeBps: 2097152n, readIops: 40n } },
    });
    // 0 removes a device's rule.
    io.apply({ devices: { [loop.device]: { readIops: 0n } } });
    expect(file('blkio.throttle.read_iops_device')).toBe('');
    expect(file('blkio.throttle.write_bps_device')).toBe(`${loop.device} 2097152`);
  });

  it("writes a device weight once the device's scheduler is BFQ", () => {
    writeFileSync(`/sys/block/${loop.path.slice('/dev/'.length)}/queue/scheduler`, 'bfq');
    cg.tunables(BLKIO).apply({ devices: { [loop.device]: { weight: 250 } } });
    expect(file('blkio.bfq.weight_device')).toContain(`${loop.device} 250`);
    expect(cg.tunables(BLKIO).read().devices?.[loop.device]?.weight).toBe(250);
  });

  it('rolls back every written line when the kernel refuses a later one (no such device)', () => {
    const before = ['blkio.bfq.weight', 'blkio.throttle.write_bps_device', 'blkio.throttle.write_iops_device'].map(file);
    let err: VirError | undefined;
    try {
      // 99:99 is no block device here: the kernel answers ENODEV after the weight and the loop device's lines
      // (devices are written in order) went in.
      cg.tunables(BLKIO).apply({ weight: 800, devices: { [loop.device]: { writeBps: 1048576n, writeIops: 9n }, '99:99': { writeBps: 1n } } });
    } catch (e) {
      err = e as VirError;
    }
    expect(err?.code).toBe(ErrorCode.SYSTEM_ERROR);
    expect(err?.errno).toBe('ENODEV');
    expect(err?.message).toBe(`Unable to write to '${cg.path}/blkio.throttle.write_bps_device': No such device`);
    expect(['blkio.bfq.weight', 'blkio.throttle.write_bps_device', 'blkio.throttle.write_iops_device'].map(file)).toEqual(before);
  });
});
