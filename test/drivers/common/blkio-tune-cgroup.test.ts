import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../../src/cgroup/controller.js';
import { BLKIO, MEMORY } from '../../../src/cgroup/controllers.js';
import { applyTogether } from '../../../src/cgroup/tunables.js';
import { blkioTuneSteps, blkioWeightOf } from '../../../src/drivers/common/blkio-tune-cgroup.js';
import { blockDeviceNumber } from '../../../src/drivers/common/block-device.js';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { FakeCgroupFs, populateV2 } from '../../helpers/fake-cgroupfs.js';
import { virErrorOf } from '../../helpers/vir-error.js';

let root: string;
let fs: FakeCgroupFs;

beforeEach(() => {
  root = mkdtempSync(`${tmpdir()}/virtune-blkiotune-${process.pid}-`);
  populateV2(root);
  fs = new FakeCgroupFs();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('blkiotune to cgroups', () => {
  it('resolves each device path and writes the weight and the named limits', () => {
    const domain = HostCgroups.open({ root, fs, controllers: [MEMORY, BLKIO] })!.domain('vm', 'qemu');
    domain.create();
    const resolve = (path: string): string => ({ '/dev/a': '7:0', '/dev/b': '8:16' })[path]!;
    applyTogether(
      blkioTuneSteps(domain, { weight: 500, devices: [{ path: '/dev/a', writeBytesSec: 1000n }, { path: '/dev/b', weight: 200, readIopsSec: 7n }] }, resolve),
    );
    expect(readFileSync(`${domain.path}/io.bfq.weight`, 'utf8').trim()).toBe('default 500\n8:16 200');
    expect(readFileSync(`${domain.path}/io.max`, 'utf8').trim()).toBe('7:0 rbps=max wbps=1000 riops=max wiops=max\n8:16 rbps=max wbps=max riops=7 wiops=max');
    expect(blkioWeightOf(domain, 'read')).toBe(500);
    expect(blkioTuneSteps(domain, { weight: 0, devices: [] }, resolve)).toEqual([]);
  });

  it("names a device by its number, with libvirt's errors for a missing path or one that is no block device", () => {
    // Every disk lsblk lists, as lsblk numbers it.
    const disks = execFileSync('lsblk', ['--nodeps', '--noheadings', '--raw', '--output', 'NAME,MAJ:MIN,TYPE'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f[2] === 'disk');
    for (const [name, number] of disks) expect(blockDeviceNumber(`/dev/${name}`)).toBe(number);
    const missing = virErrorOf(() => blockDeviceNumber('/dev/virtune-no-such-disk'));
    expect([missing.code, missing.domain, missing.message]).toEqual([
      ErrorCode.SYSTEM_ERROR,
      ErrorDomain.CGROUP,
      "Path '/dev/virtune-no-such-disk' is not accessible: No such file or directory",
    ]);
    expect(virErrorOf(() => blockDeviceNumber('/dev/null')).message).toBe("Path '/dev/null' must be a block device: Invalid argument");
  });
});
