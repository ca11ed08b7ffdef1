import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU, CPUACCT } from '../../src/cgroup/controllers.js';
import type { DomainCgroup } from '../../src/cgroup/domain-cgroup.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { measurementWindow, startHog, stopHog } from '../helpers/cpu-hog.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * The kernel enforces what the cpu tables write: busy loops in real cgroups, CPU time from the cgroups' own
 * cpuacct counters. The machine is shared and loaded, so the tests' parent cgroup gets the largest cpu.shares:
 * against the root's other tasks it then always gets the CPU its children's limits allow, and what is measured is
 * the limit, not the load.
 */
describe.skipIf(skipUnless('root', 'cgroup-v1-cpu', 'cgroup-v1-cpuacct'))('cpu limits enforced by the kernel', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let host: HostCgroups;
  const hogs: ChildProcess[] = [];

  /** A new domain cgroup in the cpu and cpuacct hierarchies. */
  function domain(name: string): DomainCgroup {
    const cg = host.domain(`${name}-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
    return cg;
  }

  /** CPU time of each cgroup (s) and the wall time (s) over a window of `ms`. */
  async function measure(cgroups: DomainCgroup[], ms: number): Promise<{ cpu: number[]; wall: number }> {
    const usage = (): bigint[] => cgroups.map((c) => c.tunables(CPUACCT).usageNs());
    const u0 = usage();
    const t0 = process.hrtime.bigint();
    await measurementWindow(ms);
    const u1 = usage();
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    return { cpu: u1.map((u, i) => Number(u - u0[i]!) / 1e9), wall };
  }

  beforeAll(() => {
    host = HostCgroups.open({ parent, controllers: [CPU, CPUACCT] })!;
    domain('probe').remove(); // creates the parent in both hierarchies
    writeFileSync(`${host.root}/${parent}/cpu.shares`, '262144');
  });
  afterEach(async () => {
    for (const h of hogs.splice(0)) await stopHog(h);
  });
  afterAll(async () => {
    for (const p of host.placements) await removeCgroupDir(`${p.root}/${parent}`);
  });

  it('holds a busy loop to quota = period / 4: 25 ± 5 % of a CPU over 2 s', async () => {
    const cg = domain('quota');
    cg.tunables(CPU).apply({ period: 100000n, quota: 25000n });
    hogs.push(await startHog(cg.procsFiles));
    const { cpu, wall } = await measure([cg], 2000);
    const share = cpu[0]! / wall;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    // The kernel says it throttled the group, in its own counters.
    const throttled = /^nr_throttled (\d+)$/m.exec(readFileSync(`${cg.tunables(CPU).dir}/cpu.stat`, 'utf8'));
    expect(Number(throttled?.[1])).toBeGreaterThan(10);
  });

  it('splits one CPU 4:1 between busy loops with shares 1024 and 256 (ratio 3.2–5)', async () => {
    const big = domain('big');
    const small = domain('small');
    big.tunables(CPU).apply({ shares: 1024n });
    small.tunables(CPU).apply({ shares: 256n });
    hogs.push(await startHog(big.procsFiles, 0), await startHog(small.procsFiles, 0));
    const { cpu, wall } = await measure([big, small], 2000);
    const ratio = cpu[0]! / cpu[1]!;
    expect(ratio).toBeGreaterThan(3.2);
    expect(ratio).toBeLessThan(5);
    // Both pinned to CPU 0: together they had at most that one CPU.
    expect(cpu[0]! + cpu[1]!).toBeLessThan(wall * 1.05);
  });
});
