import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CPUACCT } from '../../src/cgroup/controllers.js';
import { cpuDomain, v2CpuCases } from './v2-cpu-cases.js';
import { fakeV2Tree, type V2Tree } from './v2-trees.js';

let tree: V2Tree;

beforeEach(() => (tree = fakeV2Tree('cpuv2')));
afterEach(() => tree.remove());

describe('cgroup v2 cpu controller on a cgroupfs-like tree', () => {
  v2CpuCases(() => tree, { propertyRuns: 100 });

  it('reads the CPU time used from cpu.stat', () => {
    const cg = cpuDomain(tree);
    writeFileSync(`${cg.path}/cpu.stat`, 'usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\n');
    expect(cg.tunables(CPUACCT).usageNs()).toBe(1234567000n);
  });
});
