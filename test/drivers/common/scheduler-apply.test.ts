import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../../src/cgroup/controller.js';
import { CPU } from '../../../src/cgroup/controllers.js';
import type { DomainCgroup } from '../../../src/cgroup/domain-cgroup.js';
import { DomainObject, cloneDef } from '../../../src/drivers/common/domain-objects.js';
import {
  cgroupLiveScheduler,
  getSchedulerParameters,
  getSchedulerType,
  setSchedulerParameters,
  type SchedulerContext,
} from '../../../src/drivers/common/scheduler-apply.js';
import type { CpuTuneTargets } from '../../../src/drivers/common/cpu-tune-cgroup.js';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { LXC_SCHEDULER_PARAM_NAMES, POSIX_SCHEDULER_PARAM_NAMES } from '../../../src/scheduler/params.js';
import { domainDef } from '../../helpers/domain-def.js';
import { skipUnless } from '../../helpers/prereq.js';
import { RecordingSavers } from '../../helpers/recording-savers.js';
import { ll, ull } from '../../helpers/typed-param.js';
import { rejection } from '../../helpers/vir-error.js';

const BOTH = DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG;
const values = (ps: { field: string; value: unknown }[]) => Object.fromEntries(ps.map((p) => [p.field, p.value]));

describe.skipIf(skipUnless('root', 'cgroup-v1-cpu'))('shared scheduler path on real v1 cpu cgroups (QEMU layout)', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let host: HostCgroups;
  let domain: DomainCgroup | undefined;
  let targets: CpuTuneTargets;
  let obj: DomainObject;
  let saved: RecordingSavers;

  const ctx = (over: Partial<SchedulerContext> = {}): SchedulerContext => ({
    errorDomain: ErrorDomain.QEMU,
    supported: POSIX_SCHEDULER_PARAM_NAMES,
    live: cgroupLiveScheduler(targets),
    saveLive: saved.saveLive,
    saveConfig: saved.saveConfig,
    ...over,
  });
  const file = (cg: DomainCgroup, f: string) => readFileSync(`${cg.path}/${f}`, 'utf8').trim();

  beforeAll(() => {
    host = HostCgroups.open({ parent, controllers: [CPU] })!;
  });
  beforeEach(() => {
    saved = new RecordingSavers(ErrorDomain.QEMU);
  });
  afterEach(() => {
    domain?.remove();
    domain = undefined;
  });
  afterAll(() => {
    const dir = `${host.root}/${parent}`;
    if (existsSync(dir)) rmdirSync(dir);
  });

  /** A running QEMU-like domain with two vCPU groups and the emulator group, libvirt's layout. */
  function running(): void {
    const def = domainDef('qemu', { name: `sc-${randomBytes(3).toString('hex')}` });
    obj = new DomainObject(def, cloneDef(def));
    domain = host.domain(def.name, 'qemu');
    domain.create();
    const vcpus = [0, 1].map((i) => domain!.threadGroup(`vcpu${i}`, [CPU]));
    const emulator = domain.threadGroup('emulator', [CPU]);
    for (const g of [...vcpus, emulator]) g.create();
    targets = { domain, vcpus, emulator };
  }

  it('live: writes shares to the domain and the vCPU quota to every vcpuN/, keeps the config, reports cputune.*', async () => {
    running();
    const event = await setSchedulerParameters(obj, [ull('cpu_shares', 512), ll('vcpu_quota', 50000)], DOMAIN_AFFECT_LIVE, ctx(), 'fn');
    expect(event).toEqual([
      { field: 'cputune.cpu_shares', type: 4, value: 512n },
      { field: 'cputune.vcpu_quota', type: 3, value: 50000n },
    ]);
    expect(file(targets.domain, 'cpu.shares')).toBe('512');
    expect(targets.vcpus!.map((v) => file(v, 'cpu.cfs_quota_us'))).toEqual(['50000', '50000']);
    expect(file(targets.domain, 'cpu.cfs_quota_us')).toBe('-1');
    expect(obj.live!.cputune).toEqual({ shares: 512n, quota: 50000n });
    expect(obj.config!.cputune).toBeUndefined();
    expect([saved.live.length, saved.config.length]).toEqual([1, 0]);
    expect(values(getSchedulerParameters(obj, DOMAIN_AFFECT_LIVE, ctx(), 'fn'))).toEqual({
      cpu_shares: 512n,
      vcpu_period: 100000n,
      vcpu_quota: 50000n,
      emulator_period: 100000n,
      emulator_quota: -1n,
      global_period: 100000n,
      global_quota: -1n,
      iothread_period: 100000n,
      iothread_quota: -1n,
    });
    expect(getSchedulerType(obj, ctx())).toEqual({ type: 'posix', nparams: 9 });
  });

  it('config: stores values as given, 0 unsets; no cgroup write and no event', async () => {
    running();
    await setSchedulerParameters(obj, [ull('vcpu_period', 5000), ll('emulator_quota', -5)], DOMAIN_AFFECT_CONFIG, ctx(), 'fn');
    expect(await setSchedulerParameters(obj, [ull('vcpu_period', 0), ull('cpu_shares', 0)], DOMAIN_AFFECT_CONFIG, ctx(), 'fn')).toEqual([]);
    expect(obj.config!.cputune).toEqual({ emulatorQuota: -5n, shares: 0n });
    expect(obj.live!.cputune).toBeUndefined();
    expect(file(targets.domain, 'cpu.shares')).toBe('1024');
    expect(values(getSchedulerParameters(obj, DOMAIN_AFFECT_CONFIG, ctx(), 'fn'))).toMatchObject({ cpu_shares: 0n, vcpu_period: 0n, emulator_quota: -5n });
  });

  it('live and config together change both; a period or quota of 0 leaves the running value alone', async () => {
    running();
    await setSchedulerParameters(obj, [ull('global_period', 20000), ll('global_quota', 10000)], BOTH, ctx(), 'fn');
    const event = await setSchedulerParameters(obj, [ll('global_quota', 0), ull('cpu_shares', 300)], BOTH, ctx(), 'fn');
    expect(event.map((p) => p.field)).toEqual(['cputune.cpu_shares']);
    expect([file(targets.domain, 'cpu.cfs_period_us'), file(targets.domain, 'cpu.cfs_quota_us')]).toEqual(['20000', '10000']);
    expect(obj.live!.cputune).toEqual({ globalPeriod: 20000n, globalQuota: 10000n, shares: 300n });
    expect(obj.config!.cputune).toEqual({ globalPeriod: 20000n, shares: 300n });
  });

  it('refuses bad input before anything changes, in libvirt order', async () => {
    running();
    const range = await rejection(setSchedulerParameters(obj, [ull('cpu_shares', 300), ull('vcpu_period', 999)], BOTH, ctx(), 'fn'));
    expect([range.code, range.domain, range.message]).toEqual([
      ErrorCode.INVALID_ARG,
      ErrorDomain.QEMU,
      "invalid argument: value of 'vcpu_period' is out of range [1000, 1000000]",
    ]);
    // The cgroup's own range (v1 shares 2–262144) is checked before the first write.
    const shares = await rejection(setSchedulerParameters(obj, [ll('vcpu_quota', 20000), ull('cpu_shares', 1)], DOMAIN_AFFECT_LIVE, ctx(), 'fn'));
    expect(shares.message).toBe("invalid argument: shares '1' must be in range [2, 262144]");
    const flags = await rejection(setSchedulerParameters(obj, [ull('cpu_shares', 300)], 8, ctx(), 'qemuDomainSetSchedulerParametersFlags'));
    expect(flags.message).toBe('unsupported flags (0x8) in function qemuDomainSetSchedulerParametersFlags');
    const lxc = await rejection(setSchedulerParameters(obj, [ull('emulator_period', 5000)], 0, ctx({ supported: LXC_SCHEDULER_PARAM_NAMES }), 'fn'));
    expect([lxc.code, lxc.message]).toEqual([ErrorCode.ARGUMENT_UNSUPPORTED, "argument unsupported: parameter 'emulator_period' not supported"]);
    const noCpu = await rejection(setSchedulerParameters(obj, [ull('cpu_shares', 300)], 0, ctx({ live: undefined }), 'fn'));
    expect([noCpu.code, noCpu.message]).toEqual([ErrorCode.OPERATION_INVALID, 'Requested operation is not valid: cgroup CPU controller is not mounted']);
    expect(file(targets.domain, 'cpu.shares')).toBe('1024');
    expect(targets.vcpus!.map((v) => file(v, 'cpu.cfs_quota_us'))).toEqual(['-1', '-1']);
    expect([obj.live!.cputune, obj.config!.cputune, saved.live.length + saved.config.length]).toEqual([undefined, undefined, 0]);
  });

  it('a failed save of the persistent definition puts the cgroups back', async () => {
    running();
    saved.failConfig = true;
    const e = await rejection(setSchedulerParameters(obj, [ull('cpu_shares', 700), ll('emulator_quota', 30000)], BOTH, ctx(), 'fn'));
    expect(e.message).toContain('disk full');
    expect(file(targets.domain, 'cpu.shares')).toBe('1024');
    expect(file(targets.emulator!, 'cpu.cfs_quota_us')).toBe('-1');
    expect([obj.live!.cputune, obj.config!.cputune]).toEqual([undefined, undefined]);
  });

  it('an inactive domain: LIVE is refused, CURRENT is the config', async () => {
    const def = domainDef('qemu', { name: `sc-${randomBytes(3).toString('hex')}` });
    obj = new DomainObject(def);
    const e = await rejection(setSchedulerParameters(obj, [ull('cpu_shares', 300)], DOMAIN_AFFECT_LIVE, ctx({ live: undefined }), 'fn'));
    expect(e.message).toBe('Requested operation is not valid: domain is not running');
    await setSchedulerParameters(obj, [ull('cpu_shares', 300)], 0, ctx({ live: undefined }), 'fn');
    expect(obj.config!.cputune).toEqual({ shares: 300n });
    expect(getSchedulerType(obj, ctx({ live: undefined }))).toEqual({ type: 'posix', nparams: 9 });
  });
});
