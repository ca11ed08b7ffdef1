import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../../src/cgroup/controller.js';
import { BLKIO, MEMORY } from '../../../src/cgroup/controllers.js';
import type { DomainCgroup } from '../../../src/cgroup/domain-cgroup.js';
import { blkioTuneToCgroupValues, getBlkioParameters, setBlkioParameters, type BlkiotuneContext } from '../../../src/drivers/common/blkiotune-apply.js';
import { DomainObject, cloneDef } from '../../../src/drivers/common/domain-objects.js';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { TypedParameterType as T, type TypedParameterInput } from '../../../src/typed-params/types.js';
import { removeCgroupDir } from '../../helpers/cgroup-dirs.js';
import { domainDef } from '../../helpers/domain-def.js';
import { attachLoopDevice, type LoopDevice } from '../../helpers/loop-device.js';
import { skipUnless } from '../../helpers/prereq.js';
import { RecordingSavers } from '../../helpers/recording-savers.js';
import { rejection } from '../../helpers/vir-error.js';

const str = (field: string, value: string): TypedParameterInput => ({ field, type: T.STRING, value });
const weight = (value: number): TypedParameterInput => ({ field: 'weight', type: T.UINT, value });

describe.skipIf(skipUnless('root', 'cgroup-v1-blkio', 'loop-device'))('shared blkiotune path on a real v1 blkio cgroup', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let host: HostCgroups;
  let loop: LoopDevice;
  let cg: DomainCgroup;
  let obj: DomainObject;
  let saved: RecordingSavers;

  const ctx = (cgroup: DomainCgroup | undefined = cg): BlkiotuneContext => ({
    errorDomain: ErrorDomain.LXC,
    cgroup,
    saveLive: saved.saveLive,
    saveConfig: saved.saveConfig,
  });
  const file = (name: string): string => readFileSync(`${cg.path}/${name}`, 'utf8').trim();
  const files = () => ['blkio.bfq.weight', 'blkio.throttle.read_bps_device', 'blkio.throttle.write_iops_device'].map(file);

  beforeAll(() => {
    host = HostCgroups.open({ parent, controllers: [BLKIO, MEMORY] })!;
    loop = attachLoopDevice(16 << 20);
  });
  beforeEach(() => {
    saved = new RecordingSavers(ErrorDomain.LXC);
  });
  afterEach(() => {
    cg?.remove();
  });
  afterAll(async () => {
    loop?.remove();
    await removeCgroupDir(`${host.root}/${parent}`);
    await removeCgroupDir(`/sys/fs/cgroup/memory/${parent}`);
  });

  function running(): void {
    const def = domainDef('lxc', { name: `bt-${randomBytes(3).toString('hex')}` });
    obj = new DomainObject(def, cloneDef(def));
    cg = host.domain(def.name, 'lxc');
    cg.create();
  }

  it('live: paths resolved to MAJ:MIN in the cgroup files, paths kept in the live definition only', async () => {
    running();
    const applied = await setBlkioParameters(
      obj,
      [weight(300), str('device_read_bytes_sec', `${loop.path},1048576`), str('device_write_iops_sec', `${loop.path},40`)],
      DOMAIN_AFFECT_LIVE,
      ctx(),
      'lxcDomainSetBlkioParameters',
    );
    expect(applied.map((p) => p.field)).toEqual(['weight', 'device_write_iops_sec', 'device_read_bytes_sec']);
    expect(files()).toEqual(['300', `${loop.device} 1048576`, `${loop.device} 40`]);
    expect(obj.live!.blkiotune).toEqual({ weight: 300, devices: [{ path: loop.path, readBytesSec: 1048576n, writeIopsSec: 40n }] });
    expect(obj.config!.blkiotune).toBeUndefined();
    expect([saved.live.length, saved.config.length]).toEqual([1, 0]);
    // 0 removes the rule from the file and the value from the definition.
    await setBlkioParameters(obj, [str('device_write_iops_sec', `${loop.path},0`)], DOMAIN_AFFECT_LIVE, ctx(), 'fn');
    expect(file('blkio.throttle.write_iops_device')).toBe('');
    expect(obj.live!.blkiotune!.devices).toEqual([{ path: loop.path, readBytesSec: 1048576n }]);
    expect(getBlkioParameters(obj, DOMAIN_AFFECT_LIVE, ctx(), 'fn').slice(0, 2)).toEqual([
      { field: 'weight', type: T.UINT, value: 300 },
      { field: 'device_weight', type: T.STRING, value: '' },
    ]);
  });

  it('a path that is missing or not a block device: libvirt\'s error, nothing written, nothing saved', async () => {
    running();
    const before = files();
    const missing = `/dev/virtune-nope-${randomBytes(3).toString('hex')}`;
    const e = await rejection(
      setBlkioParameters(obj, [weight(700), str('device_read_bytes_sec', `${loop.path},5,${missing},6`)], DOMAIN_AFFECT_LIVE, ctx(), 'fn'),
    );
    expect([e.code, e.domain, e.message]).toEqual([ErrorCode.SYSTEM_ERROR, ErrorDomain.CGROUP, `Path '${missing}' is not accessible: No such file or directory`]);
    const notBlock = await rejection(setBlkioParameters(obj, [str('device_weight', '/dev/null,500')], DOMAIN_AFFECT_LIVE, ctx(), 'fn'));
    expect(notBlock.message).toBe("Path '/dev/null' must be a block device: Invalid argument");
    expect(files()).toEqual(before);
    expect(obj.live!.blkiotune).toBeUndefined();
    expect(saved.live).toEqual([]);
  });

  it('LIVE|CONFIG: a failed config save rolls the cgroup back; CONFIG alone resolves no path', async () => {
    running();
    const before = files();
    saved.failConfig = true;
    const e = await rejection(
      setBlkioParameters(obj, [weight(800), str('device_read_bytes_sec', `${loop.path},99`)], DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, ctx(), 'fn'),
    );
    expect(e.message).toContain('disk full');
    expect(files()).toEqual(before);
    expect([obj.live!.blkiotune, obj.config!.blkiotune]).toEqual([undefined, undefined]);
    saved.failConfig = false;
    await setBlkioParameters(obj, [str('device_weight', '/dev/not-here-yet,300')], DOMAIN_AFFECT_CONFIG, ctx(), 'fn');
    expect(obj.config!.blkiotune).toEqual({ devices: [{ path: '/dev/not-here-yet', weight: 300 }] });
    expect(files()).toEqual(before);
  });

  it('a whole <blkiotune> as a domain start writes it: every value set, by device number', () => {
    running();
    const values = blkioTuneToCgroupValues({ weight: 400, devices: [{ path: loop.path, readBytesSec: 7n, weight: 250 }, { path: '/dev/unused' }] });
    expect(values).toEqual({ weight: 400, devices: { [loop.device]: { readBps: 7n, weight: 250 } } });
    cg.tunables(BLKIO).apply({ weight: values.weight!, devices: { [loop.device]: { readBps: 7n } } });
    expect(files()).toEqual(['400', `${loop.device} 7`, '']);
    expect(blkioTuneToCgroupValues(undefined)).toEqual({});
  });

  it("a live change without the blkio controller: libvirt's OPERATION_INVALID; flags checked first", async () => {
    running();
    const memoryOnly = HostCgroups.open({ parent, controllers: [MEMORY] })!.domain(`m-${randomBytes(2).toString('hex')}`, 'lxc');
    const e = await rejection(setBlkioParameters(obj, [weight(200)], DOMAIN_AFFECT_LIVE, ctx(memoryOnly), 'fn'));
    expect([e.code, e.domain, e.message]).toEqual([ErrorCode.OPERATION_INVALID, ErrorDomain.LXC, "Requested operation is not valid: blkio cgroup isn't mounted"]);
    const flags = await rejection(setBlkioParameters(obj, [weight(200)], 8, ctx(), 'lxcDomainSetBlkioParameters'));
    expect(flags.message).toBe('unsupported flags (0x8) in function lxcDomainSetBlkioParameters');
  });
});
