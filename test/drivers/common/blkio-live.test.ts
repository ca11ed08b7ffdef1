/**
 * The blkio entries of the LXC and QEMU drivers on real cgroups: a start writes <blkiotune> (device paths
 * resolved to MAJ:MIN), LIVE writes the blkio files all or nothing, CONFIG only the persistent definition, and
 * the live getter reads the weight back from the cgroup.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../src/connection/connection.js';
import { ErrorCode } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { typedParamsToRecord } from '../../../src/typed-params/helpers.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';
import { parentDirs, removeCgroupDir } from '../../helpers/cgroup-dirs.js';
import { assertNoLeftovers, findLeftovers } from '../../helpers/leftovers.js';
import { attachLoopDevice, type LoopDevice } from '../../helpers/loop-device.js';
import { skipUnless } from '../../helpers/prereq.js';
import { rejection } from '../../helpers/vir-error.js';

const UINT = TypedParameterType.UINT;
const STR = TypedParameterType.STRING;

const CASES = [
  {
    driver: 'lxc' as const,
    needs: ['root', 'cgroup-v1-memory', 'cgroup-v1-blkio', 'loop-device', 'unshare'] as const,
    xml: (tune: string) => `<domain type='lxc'><name>disk</name><memory unit='MiB'>128</memory>${tune}
      <os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initarg>exec sleep 600</initarg></os></domain>`,
  },
  {
    driver: 'qemu' as const,
    needs: ['root', 'qemu', 'cgroup-v1-memory', 'cgroup-v1-blkio', 'loop-device'] as const,
    xml: (tune: string) => `<domain type='qemu'><name>disk</name><memory unit='MiB'>128</memory>${tune}
      <os><type machine='microvm'>hvm</type></os><devices><memballoon model='virtio'/></devices></domain>`,
  },
];

for (const c of CASES) {
  describe.skipIf(skipUnless(...c.needs))(`${c.driver} blkio parameters on the real blkio cgroup`, () => {
    const root = mkdtempSync(join(tmpdir(), `virtune-blkio-${process.pid}-`));
    const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
    let conn: Connection;
    let loop: LoopDevice;
    beforeAll(async () => {
      loop = attachLoopDevice(16 << 20);
      conn = await openConnection(`${c.driver}:///embed?root=${encodeURIComponent(root)}&cgroup_parent=${parent}`);
    });
    afterAll(async () => {
      await conn?.close();
      const leftovers = findLeftovers({ cgroupDirs: parentDirs(parent), socketsUnder: root });
      for (const dir of parentDirs(parent)) await removeCgroupDir(dir);
      rmSync(root, { recursive: true, force: true });
      loop?.remove();
      assertNoLeftovers(leftovers, `the ${c.driver} driver`);
    });

    const blkioDir = (): string => {
      const dir = `/sys/fs/cgroup/blkio/${parent}`;
      return join(dir, readdirSync(dir).find((d) => d.startsWith('disk.virtune-'))!);
    };
    const file = (f: string): string => readFileSync(join(blkioDir(), f), 'utf8').trim();

    it('starts with <blkiotune>, changes it live all or nothing, and reads the weight back', async () => {
      const dom = await conn.defineDomainXML(
        c.xml(`<blkiotune><weight>300</weight><device><path>${loop.path}</path><write_bytes_sec>1048576</write_bytes_sec></device></blkiotune>`),
      );
      await dom.create();
      expect(file('blkio.bfq.weight')).toBe('300');
      expect(file('blkio.throttle.write_bps_device')).toBe(`${loop.device} 1048576`);

      await dom.setBlkioParameters(
        [
          { field: 'weight', type: UINT, value: 700 },
          { field: 'device_read_iops_sec', type: STR, value: `${loop.path},40` },
        ],
        DOMAIN_AFFECT_LIVE,
      );
      expect([file('blkio.bfq.weight'), file('blkio.throttle.read_iops_device')]).toEqual(['700', `${loop.device} 40`]);
      expect(typedParamsToRecord(await dom.getBlkioParameters(DOMAIN_AFFECT_LIVE))).toMatchObject({
        weight: 700,
        device_write_bytes_sec: `${loop.path},1048576`,
        device_read_iops_sec: `${loop.path},40`,
      });
      // All or nothing: a path that is no block device fails before anything is written.
      const err = await rejection(
        dom.setBlkioParameters([{ field: 'weight', type: UINT, value: 200 }, { field: 'device_write_bytes_sec', type: STR, value: '/dev/null,5' }], DOMAIN_AFFECT_LIVE),
      );
      expect([err.code, err.message]).toEqual([ErrorCode.SYSTEM_ERROR, "Path '/dev/null' must be a block device: Invalid argument"]);
      expect(file('blkio.bfq.weight')).toBe('700');
      // 0 removes a device's limit.
      await dom.setBlkioParameters([{ field: 'device_write_bytes_sec', type: STR, value: `${loop.path},0` }], DOMAIN_AFFECT_LIVE);
      expect(file('blkio.throttle.write_bps_device')).toBe('');
      // CONFIG leaves the files alone.
      await dom.setBlkioParameters([{ field: 'weight', type: UINT, value: 900 }], DOMAIN_AFFECT_CONFIG);
      expect(file('blkio.bfq.weight')).toBe('700');
      expect(typedParamsToRecord(await dom.getBlkioParameters(DOMAIN_AFFECT_CONFIG)).weight).toBe(900);
      await dom.destroy();
      await dom.undefine();
    }, 60_000);
  });
}
