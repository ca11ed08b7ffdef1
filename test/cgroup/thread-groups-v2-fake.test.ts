import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU, CPUACCT, MEMORY } from '../../src/cgroup/controllers.js';
import { applyTogether } from '../../src/cgroup/tunables.js';
import { FakeCgroupFs, makeFakeV2Tree, removeFakeV2Tree, snapshotTree } from '../helpers/fake-cgroupfs.js';
import { virErrorOf } from '../helpers/vir-error.js';

let root: string;
let fs: FakeCgroupFs;

beforeEach(() => ({ root, fs } = makeFakeV2Tree('threads')));
afterEach(() => removeFakeV2Tree(root));

const read = (path: string): string => readFileSync(path, 'utf8').trim();

describe('thread groups on a cgroup v2 tree', () => {
  it('makes a threaded child before enabling cpu in the domain cgroup, and moves threads with cgroup.threads', () => {
    const host = HostCgroups.open({ root, fs, controllers: [MEMORY], optionalControllers: [CPU, CPUACCT] })!;
    const domain = host.domain('vm', 'qemu');
    domain.create();
    expect(read(`${domain.path}/cgroup.subtree_control`)).toBe('');
    const vcpu0 = domain.threadGroup('vcpu0', [CPU, CPUACCT]);
    fs.writes.length = 0;
    vcpu0.create();
    expect(fs.writes.map((w) => [w.path.slice(root.length), w.value])).toEqual([
      ['/machine/vm.virtune-qemu/vcpu0/cgroup.type', 'threaded'],
      ['/machine/vm.virtune-qemu/cgroup.subtree_control', '+cpu'],
    ]);
    vcpu0.addThread(4242);
    expect(read(`${vcpu0.path}/cgroup.threads`)).toBe('4242');
    vcpu0.tunables(CPU).apply({ quota: 20000n });
    expect(read(`${vcpu0.path}/cpu.max`)).toBe('20000 100000');
    expect(read(`${domain.path}/cpu.max`)).toBe('max 100000');
  });

  it('removes the thread groups with the domain cgroup, deepest first', () => {
    const host = HostCgroups.open({ root, fs, controllers: [MEMORY, CPU] })!;
    const domain = host.domain('vm', 'qemu');
    domain.create();
    domain.threadGroup('emulator', [CPU]).create();
    domain.threadGroup('vcpu0', [CPU]).create();
    domain.remove();
    expect(existsSync(domain.path)).toBe(false);
    expect(existsSync(`${root}/machine`)).toBe(true);
  });

  it('applies changes across the domain and its thread groups all or nothing', () => {
    const host = HostCgroups.open({ root, fs, controllers: [MEMORY, CPU] })!;
    const domain = host.domain('vm', 'qemu');
    domain.create();
    const vcpu0 = domain.threadGroup('vcpu0', [CPU]);
    const vcpu1 = domain.threadGroup('vcpu1', [CPU]);
    vcpu0.create();
    vcpu1.create();
    const before = snapshotTree(root);
    fs.faults = [{ file: 'vcpu1/cpu.max', errno: 'EINVAL' }];
    const steps = [
      { tunables: domain.tunables(CPU), next: { shares: 4096n } },
      { tunables: vcpu0.tunables(CPU), next: { quota: 30000n } },
      { tunables: vcpu1.tunables(CPU), next: { quota: 30000n } },
    ];
    expect(virErrorOf(() => applyTogether(steps)).message).toBe("Invalid value '30000 100000' for 'cpu.max': Invalid argument");
    expect(snapshotTree(root)).toEqual(before);
    fs.faults = [];
    const tx = applyTogether(steps);
    expect(tx.writes.map((w) => w.path.slice(domain.path.length))).toEqual(['/cpu.weight', '/vcpu0/cpu.max', '/vcpu1/cpu.max']);
    tx.rollback();
    expect(snapshotTree(root)).toEqual(before);
  });

  it('refuses a thread group of a controller the domain cgroup does not span', () => {
    const domain = HostCgroups.open({ root, fs })!.domain('vm', 'qemu');
    expect(() => domain.threadGroup('vcpu0', [CPU])).toThrow(/does not span the cpu controller/);
  });
});
