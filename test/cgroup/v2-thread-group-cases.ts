/**
 * Thread groups (libvirt's `emulator/` and `vcpuN/` of a QEMU domain) on cgroup v2, run by
 * thread-groups-v2-fake.test.ts on a directory tree laid out like cgroupfs and by v2-guest.test.ts on a real
 * kernel's cgroup2 files, where a thread group is a threaded cgroup and the kernel's rules for those apply.
 */
import { expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU, CPUACCT, MEMORY } from '../../src/cgroup/controllers.js';
import { applyTogether } from '../../src/cgroup/tunables.js';
import { virErrorOf } from '../helpers/vir-error.js';
import type { V2Tree } from './v2-trees.js';

/** Defines the cases (call inside a describe); `tree` gives the current case's tree. */
export function v2ThreadGroupCases(tree: () => V2Tree): void {
  it('makes a threaded child before enabling cpu in the domain cgroup, and tunes it alone', () => {
    const t = tree();
    const host = HostCgroups.open({ root: t.root, fs: t.fs, controllers: [MEMORY], optionalControllers: [CPU, CPUACCT] })!;
    const domain = host.domain('vm', 'qemu');
    domain.create();
    expect(t.read(domain.path, 'cgroup.subtree_control')).toBe('');
    const vcpu0 = domain.threadGroup('vcpu0', [CPU, CPUACCT]);
    t.fs.writes.length = 0;
    vcpu0.create();
    expect(t.fs.writes.map((w) => [w.path.slice(t.root.length), w.value])).toEqual([
      ['/machine/vm.virtune-qemu/vcpu0/cgroup.type', 'threaded'],
      ['/machine/vm.virtune-qemu/cgroup.subtree_control', '+cpu'],
    ]);
    expect(t.read(vcpu0.path, 'cgroup.type')).toBe('threaded');
    vcpu0.tunables(CPU).apply({ quota: 20000n });
    expect(t.read(vcpu0.path, 'cpu.max')).toBe('20000 100000');
    expect(t.read(domain.path, 'cpu.max')).toBe('max 100000');
  });

  it('removes the thread groups with the domain cgroup, deepest first', () => {
    const t = tree();
    const host = HostCgroups.open({ root: t.root, fs: t.fs, controllers: [MEMORY, CPU] })!;
    const domain = host.domain('vm', 'qemu');
    domain.create();
    domain.threadGroup('emulator', [CPU]).create();
    domain.threadGroup('vcpu0', [CPU]).create();
    domain.remove();
    expect(t.fs.exists(domain.path)).toBe(false);
    expect(t.fs.exists(`${t.root}/machine`)).toBe(true);
  });

  it('applies changes across the domain and its thread groups all or nothing', () => {
    const t = tree();
    const host = HostCgroups.open({ root: t.root, fs: t.fs, controllers: [MEMORY, CPU] })!;
    const domain = host.domain('vm', 'qemu');
    domain.create();
    const vcpu0 = domain.threadGroup('vcpu0', [CPU]);
    const vcpu1 = domain.threadGroup('vcpu1', [CPU]);
    vcpu0.create();
    vcpu1.create();
    const before = t.snapshot();
    t.fs.faults = [{ file: 'vcpu1/cpu.max', errno: 'EINVAL' }];
    const steps = [
      { tunables: domain.tunables(CPU), next: { shares: 4096n } },
      { tunables: vcpu0.tunables(CPU), next: { quota: 30000n } },
      { tunables: vcpu1.tunables(CPU), next: { quota: 30000n } },
    ];
    expect(virErrorOf(() => applyTogether(steps)).message).toBe("Invalid value '30000 100000' for 'cpu.max': Invalid argument");
    expect(t.snapshot()).toEqual(before);
    t.fs.faults = [];
    const tx = applyTogether(steps);
    expect(tx.writes.map((w) => w.path.slice(domain.path.length))).toEqual(['/cpu.weight', '/vcpu0/cpu.max', '/vcpu1/cpu.max']);
    tx.rollback();
    expect(t.snapshot()).toEqual(before);
  });

  it('refuses a thread group of a controller the domain cgroup does not span', () => {
    const t = tree();
    const domain = HostCgroups.open({ root: t.root, fs: t.fs })!.domain('vm', 'qemu');
    expect(() => domain.threadGroup('vcpu0', [CPU])).toThrow(/does not span the cpu controller/);
  });
}
