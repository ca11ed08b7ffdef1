import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU, CPUACCT } from '../../src/cgroup/controllers.js';
import { ErrorCode, VirError } from '../../src/errors.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { skipUnless } from '../helpers/prereq.js';

describe.skipIf(skipUnless('root', 'cgroup-v1-cpu', 'cgroup-v1-cpuacct'))('cgroup v1 cpu controller on the real kernel', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let host: HostCgroups;
  const file = (dir: string, name: string): string => readFileSync(`${dir}/${name}`, 'utf8').trim();

  beforeAll(() => {
    host = HostCgroups.open({ parent, controllers: [CPU, CPUACCT] })!;
    expect(host.filesOf(CPU).version).toBe('v1');
  });
  afterAll(async () => {
    for (const p of host.placements) await removeCgroupDir(`${p.root}/${parent}`);
  });

  it('spans the cpu and cpuacct hierarchies and writes shares, period and quota', () => {
    const cg = host.domain(`web-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
    expect(cg.dirs).toEqual([`/sys/fs/cgroup/cpu/${cg.relPath}`, `/sys/fs/cgroup/cpuacct/${cg.relPath}`]);
    const cpu = cg.tunables(CPU);
    expect(cpu.read()).toEqual({ shares: 1024n, period: 100000n, quota: -1n });
    cpu.apply({ shares: 512n, period: 50000n, quota: 12500n });
    expect([file(cpu.dir, 'cpu.shares'), file(cpu.dir, 'cpu.cfs_period_us'), file(cpu.dir, 'cpu.cfs_quota_us')]).toEqual(['512', '50000', '12500']);
    cpu.apply({ quota: -1n });
    expect(file(cpu.dir, 'cpu.cfs_quota_us')).toBe('-1');
    expect(cpu.read()).toEqual({ shares: 512n, period: 50000n, quota: -1n });
    expect(cg.tunables(CPUACCT).usageNs()).toBe(0n);
    cg.remove();
  });

  it("rolls back when the kernel refuses a quota above its parent's (EINVAL on v1)", () => {
    const outer = host.fromRelPath(`${parent}/outer-${randomBytes(2).toString('hex')}`);
    outer.create();
    outer.tunables(CPU).apply({ quota: 20000n });
    const inner = host.fromRelPath(`${outer.relPath}/inner`);
    inner.create();
    const cpu = inner.tunables(CPU);
    let err: VirError | undefined;
    try {
      cpu.apply({ shares: 300n, quota: 50000n });
    } catch (e) {
      err = e as VirError;
    }
    expect(err?.code).toBe(ErrorCode.SYSTEM_ERROR);
    expect(err?.message).toBe("Invalid value '50000' for 'cpu.cfs_quota_us': Invalid argument");
    // The shares written before the failing quota are back.
    expect([file(cpu.dir, 'cpu.shares'), file(cpu.dir, 'cpu.cfs_quota_us')]).toEqual(['1024', '-1']);
    cpu.apply({ shares: 300n, quota: 10000n });
    expect(cpu.read()).toEqual({ shares: 300n, period: 100000n, quota: 10000n });
    inner.remove();
    outer.remove();
  });
});
