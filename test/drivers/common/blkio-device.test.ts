import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBlkioDevice } from '../../../src/drivers/common/blkio-device.js';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { attachLoopDevice, type LoopDevice } from '../../helpers/loop-device.js';
import { skipUnless } from '../../helpers/prereq.js';
import { virErrorOf } from '../../helpers/vir-error.js';

describe('resolveBlkioDevice (libvirt virCgroupGetBlockDevString)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'virtune-blkdev-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a missing path is not accessible, with stat's errno", () => {
    const path = join(dir, 'nope');
    const e = virErrorOf(() => resolveBlkioDevice(path));
    expect([e.code, e.domain, e.errno, e.message]).toEqual([
      ErrorCode.SYSTEM_ERROR,
      ErrorDomain.CGROUP,
      'ENOENT',
      `Path '${path}' is not accessible: No such file or directory`,
    ]);
  });

  it('a file, a directory or a character device is not a block device', () => {
    for (const path of [dir, '/dev/null']) {
      const e = virErrorOf(() => resolveBlkioDevice(path));
      expect([e.code, e.domain, e.message]).toEqual([ErrorCode.SYSTEM_ERROR, ErrorDomain.CGROUP, `Path '${path}' must be a block device: Invalid argument`]);
    }
  });

  describe.skipIf(skipUnless('root', 'loop-device'))('on a real loop device', () => {
    let loop: LoopDevice;
    beforeAll(() => {
      loop = attachLoopDevice(16 << 20);
    });
    afterAll(() => loop?.remove());

    it("gives the device number lsblk reports, through a symlink too", () => {
      expect(resolveBlkioDevice(loop.path)).toBe(loop.device);
      const link = join(dir, 'by-id');
      symlinkSync(loop.path, link);
      expect(resolveBlkioDevice(link)).toBe(loop.device);
    });
  });
});
