/**
 * The cgroup v2 cpu controller's cases, run by cpu-v2-fake.test.ts on a directory tree laid out like cgroupfs and
 * by v2-guest.test.ts on a real kernel's cgroup2 files (a QEMU guest).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU, CPUACCT, MEMORY } from '../../src/cgroup/controllers.js';
import type { DomainCgroup } from '../../src/cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import { virErrorOf } from '../helpers/vir-error.js';
import { yieldToEventLoop, type V2CaseOptions } from './v2-memory-cases.js';
import { applyWithFault, type V2Tree } from './v2-trees.js';

/** A created domain cgroup spanning memory, cpu and cpuacct in `t`. */
export function cpuDomain(t: V2Tree, name = 'web'): DomainCgroup {
  const c = HostCgroups.open({ root: t.root, fs: t.fs, controllers: [MEMORY, CPU, CPUACCT] })!;
  const cg = c.domain(name, 'qemu');
  cg.create();
  return cg;
}

/** Defines the cases (call inside a describe); `tree` gives the current case's tree. */
export function v2CpuCases(tree: () => V2Tree, options: V2CaseOptions): void {
  it('enables cpu down the path and writes cpu.weight and cpu.max', () => {
    const t = tree();
    const cg = cpuDomain(t);
    expect(t.read(t.root, 'cgroup.subtree_control').split(' ').sort()).toEqual(['cpu', 'memory']);
    const cpu = cg.tunables(CPU);
    expect(cpu.files.version).toBe('v2');
    expect(cpu.read()).toEqual({ shares: 2598n, period: 100000n, quota: -1n });
    cpu.apply({ shares: 1024n, period: 50000n, quota: 12500n });
    expect(t.read(cg.path, 'cpu.weight')).toBe('39');
    expect(t.read(cg.path, 'cpu.max')).toBe('12500 50000');
    cpu.apply({ quota: -1n });
    expect(t.read(cg.path, 'cpu.max')).toBe('max 50000');
    // Known values: the shares asked for; read from the files: the smallest shares of that weight.
    expect(cpu.known().shares).toBe(1024n);
    expect(cpu.read()).toEqual({ shares: 999n, period: 50000n, quota: -1n });
  });

  it('writes one file for a change of the period or the quota alone', () => {
    const t = tree();
    const cpu = cpuDomain(t).tunables(CPU);
    cpu.read();
    t.fs.writes.length = 0;
    cpu.apply({ quota: 25000n });
    expect(t.fs.writes.map((w) => [w.path.split('/').pop(), w.value])).toEqual([['cpu.max', '25000 100000']]);
    t.fs.writes.length = 0;
    cpu.apply({ period: 200000n });
    expect(t.fs.writes.map((w) => [w.path.split('/').pop(), w.value])).toEqual([['cpu.max', '25000 200000']]);
  });

  it("refuses values out of libvirt's ranges before writing anything, with its messages", () => {
    const t = tree();
    const cg = cpuDomain(t);
    const before = t.snapshot();
    const cases: [object, string][] = [
      [{ shares: 1n }, "shares '1' must be in range [2, 262144]"],
      [{ shares: 262145n }, "shares '262145' must be in range [2, 262144]"],
      [{ period: 999n }, "cfs_period '999' must be in range (1000, 1000000)"],
      [{ period: 1000001n }, "cfs_period '1000001' must be in range (1000, 1000000)"],
      [{ quota: 999n }, "cfs_quota '999' must be in range (1000, 17592186044415)"],
      [{ quota: 17592186044416n }, "cfs_quota '17592186044416' must be in range (1000, 17592186044415)"],
    ];
    for (const [values, message] of cases) {
      const err = virErrorOf(() => cg.tunables(CPU).apply({ shares: 512n, ...values }));
      expect([err.code, err.domain, err.message]).toEqual([ErrorCode.INVALID_ARG, ErrorDomain.CGROUP, `invalid argument: ${message}`]);
    }
    expect(t.snapshot()).toEqual(before);
  });

  it('takes any negative quota as none, as libvirt does', () => {
    const t = tree();
    const cg = cpuDomain(t);
    cg.tunables(CPU).apply({ quota: 30000n });
    cg.tunables(CPU).apply({ quota: -5n });
    expect(t.read(cg.path, 'cpu.max')).toBe('max 100000');
  });

  it('rolls the weight back when cpu.max fails, with the errno and libvirt text', () => {
    const t = tree();
    const cg = cpuDomain(t);
    const before = t.snapshot();
    t.fs.faults = [{ file: 'cpu.max', errno: 'EINVAL' }];
    const err = virErrorOf(() => cg.tunables(CPU).apply({ shares: 4096n, quota: 50000n }));
    expect(err.errno).toBe('EINVAL');
    expect(err.message).toBe("Invalid value '50000 100000' for 'cpu.max': Invalid argument");
    expect(t.snapshot()).toEqual(before);
  });

  it('restores the previous state whatever write fails (property)', async () => {
    const t = tree();
    const cg = cpuDomain(t);
    const values = fc.record({
      shares: fc.bigInt({ min: 2n, max: 262144n }),
      period: fc.bigInt({ min: 1000n, max: 1000000n }),
      quota: fc.oneof(fc.constant(-1n), fc.bigInt({ min: 1000n, max: 1n << 40n })),
    });
    await fc.assert(
      fc.asyncProperty(values, values, fc.nat(2), async (a, b, failAt) => {
        await yieldToEventLoop();
        if (!applyWithFault(t, (v) => cg.tunables(CPU).apply(v), a, b, ['cpu.weight', 'cpu.max'], failAt)) return;
        const got = cg.tunables(CPU).read();
        expect([got.period, got.quota]).toEqual([b.period, b.quota]);
      }),
      { numRuns: options.propertyRuns },
    );
  });
}
