import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU, CPUACCT, MEMORY } from '../../src/cgroup/controllers.js';
import type { DomainCgroup } from '../../src/cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { virErrorOf } from '../helpers/vir-error.js';
import { FakeCgroupFs, makeFakeV2Tree, removeFakeV2Tree, snapshotTree } from '../helpers/fake-cgroupfs.js';

let root: string;
let fs: FakeCgroupFs;

beforeEach(() => ({ root, fs } = makeFakeV2Tree('cpuv2')));
afterEach(() => removeFakeV2Tree(root));

function domain(): DomainCgroup {
  const c = HostCgroups.open({ root, fs, controllers: [MEMORY, CPU, CPUACCT] })!;
  const cg = c.domain('web', 'qemu');
  cg.create();
  return cg;
}

const read = (dir: string, f: string): string => readFileSync(`${dir}/${f}`, 'utf8').trim();

describe('cgroup v2 cpu controller on a cgroupfs-like tree', () => {
  it('enables cpu down the path and writes cpu.weight and cpu.max', () => {
    const cg = domain();
    expect(read(root, 'cgroup.subtree_control').split(' ').sort()).toEqual(['cpu', 'memory']);
    const cpu = cg.tunables(CPU);
    expect(cpu.files.version).toBe('v2');
    expect(cpu.read()).toEqual({ shares: 2598n, period: 100000n, quota: -1n });
    cpu.apply({ shares: 1024n, period: 50000n, quota: 12500n });
    expect(read(cg.path, 'cpu.weight')).toBe('39');
    expect(read(cg.path, 'cpu.max')).toBe('12500 50000');
    cpu.apply({ quota: -1n });
    expect(read(cg.path, 'cpu.max')).toBe('max 50000');
    // Known values: the shares asked for; read from the files: the smallest shares of that weight.
    expect(cpu.known().shares).toBe(1024n);
    expect(cpu.read()).toEqual({ shares: 999n, period: 50000n, quota: -1n });
  });

  it('writes one file for a change of the period or the quota alone', () => {
    const cpu = domain().tunables(CPU);
    cpu.read();
    fs.writes.length = 0;
    cpu.apply({ quota: 25000n });
    expect(fs.writes.map((w) => [w.path.split('/').pop(), w.value])).toEqual([['cpu.max', '25000 100000']]);
    fs.writes.length = 0;
    cpu.apply({ period: 200000n });
    expect(fs.writes.map((w) => [w.path.split('/').pop(), w.value])).toEqual([['cpu.max', '25000 200000']]);
  });

  it("refuses values out of libvirt's ranges before writing anything, with its messages", () => {
    const cg = domain();
    const before = snapshotTree(root);
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
    expect(snapshotTree(root)).toEqual(before);
  });

  it('takes any negative quota as none, as libvirt does', () => {
    const cg = domain();
    cg.tunables(CPU).apply({ quota: 30000n });
    cg.tunables(CPU).apply({ quota: -5n });
    expect(read(cg.path, 'cpu.max')).toBe('max 100000');
  });

  it('rolls the weight back when cpu.max fails, with the errno and libvirt text', () => {
    const cg = domain();
    const before = snapshotTree(root);
    fs.faults = [{ file: 'cpu.max', errno: 'EINVAL' }];
    const err = virErrorOf(() => cg.tunables(CPU).apply({ shares: 4096n, quota: 50000n }));
    expect(err.errno).toBe('EINVAL');
    expect(err.message).toBe("Invalid value '50000 100000' for 'cpu.max': Invalid argument");
    expect(snapshotTree(root)).toEqual(before);
  });

  it('restores the previous state whatever write fails (property)', () => {
    const cg = domain();
    const values = fc.record({
      shares: fc.bigInt({ min: 2n, max: 262144n }),
      period: fc.bigInt({ min: 1000n, max: 1000000n }),
      quota: fc.oneof(fc.constant(-1n), fc.bigInt({ min: 1000n, max: 1n << 40n })),
    });
    fc.assert(
      fc.property(values, values, fc.nat(2), (a, b, failAt) => {
        fs.faults = [];
        cg.tunables(CPU).apply(a);
        const before = snapshotTree(root);
        const files = ['cpu.weight', 'cpu.max'];
        fs.faults = failAt < files.length ? [{ file: files[failAt]!, errno: 'EIO' }] : [];
        try {
          cg.tunables(CPU).apply(b);
        } catch (e) {
          expect((e as VirError).errno).toBe('EIO');
          expect(snapshotTree(root)).toEqual(before);
          return;
        }
        const got = cg.tunables(CPU).read();
        expect([got.period, got.quota]).toEqual([b.period, b.quota]);
      }),
      { numRuns: 100 },
    );
  });

  it('reads the CPU time used from cpu.stat', () => {
    const cg = domain();
    writeFileSync(`${cg.path}/cpu.stat`, 'usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\n');
    expect(cg.tunables(CPUACCT).usageNs()).toBe(1234567000n);
  });
});
