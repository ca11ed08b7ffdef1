import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../../src/cgroup/controller.js';
import { CPU, MEMORY } from '../../../src/cgroup/controllers.js';
import { applyTogether } from '../../../src/cgroup/tunables.js';
import { cpuTuneOf, cpuTuneSteps, type CpuTuneTargets } from '../../../src/drivers/common/cpu-tune-cgroup.js';
import { FakeCgroupFs, makeFakeV2Tree, removeFakeV2Tree } from '../../helpers/fake-cgroupfs.js';

let root: string;
let fs: FakeCgroupFs;

beforeEach(() => ({ root, fs } = makeFakeV2Tree('cputune')));
afterEach(() => removeFakeV2Tree(root));

function qemuTargets(vcpus: number): CpuTuneTargets {
  const domain = HostCgroups.open({ root, fs, controllers: [MEMORY, CPU] })!.domain('vm', 'qemu');
  domain.create();
  const groups = Array.from({ length: vcpus }, (_, i) => domain.threadGroup(`vcpu${i}`, [CPU]));
  const emulator = domain.threadGroup('emulator', [CPU]);
  for (const g of [...groups, emulator]) g.create();
  return { domain, vcpus: groups, emulator };
}

const cpuMax = (dir: string): string => readFileSync(`${dir}/cpu.max`, 'utf8').trim();

describe("scheduler values on libvirt's layout", () => {
  it('sends shares and global_* to the domain, vcpu_* to every vcpuN/, emulator_* to emulator/', () => {
    const t = qemuTargets(2);
    applyTogether(cpuTuneSteps(t, { shares: 2048n, period: 50000n, quota: 25000n, emulatorQuota: 10000n, globalQuota: 400000n }));
    expect(cpuMax(t.domain.path)).toBe('400000 100000');
    expect(cpuMax(t.vcpus![0]!.path)).toBe('25000 50000');
    expect(cpuMax(t.vcpus![1]!.path)).toBe('25000 50000');
    expect(cpuMax(t.emulator!.path)).toBe('10000 100000');
    expect(readFileSync(`${t.domain.path}/cpu.weight`, 'utf8').trim()).toBe('79'); // 1 + ⌊2046 × 9999 / 262142⌋
    expect(readFileSync(`${t.emulator!.path}/cpu.weight`, 'utf8').trim()).toBe('100');
    expect(cpuTuneOf(t, 'known')).toEqual({
      shares: 2048n,
      period: 50000n,
      quota: 25000n,
      emulatorPeriod: 100000n,
      emulatorQuota: 10000n,
      globalPeriod: 100000n,
      globalQuota: 400000n,
      iothreadPeriod: 100000n,
      iothreadQuota: 400000n,
    });
  });

  it('writes nothing for 0 or for iothread_*, as libvirt live', () => {
    const t = qemuTargets(1);
    expect(cpuTuneSteps(t, { shares: 0n, period: 0n, iothreadQuota: 5000n })).toEqual([]);
  });

  it('puts vcpu_* on the domain cgroup when there are no thread groups (LXC)', () => {
    const domain = HostCgroups.open({ root, fs, controllers: [MEMORY, CPU] })!.domain('ct', 'lxc');
    domain.create();
    applyTogether(cpuTuneSteps({ domain }, { shares: 512n, period: 20000n, quota: 5000n, globalQuota: 9000n }));
    expect(cpuMax(domain.path)).toBe('5000 20000');
    expect(cpuTuneOf({ domain }, 'read')).toMatchObject({ period: 20000n, quota: 5000n });
  });
});
