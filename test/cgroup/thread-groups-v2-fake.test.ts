import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU, CPUACCT, MEMORY } from '../../src/cgroup/controllers.js';
import { v2ThreadGroupCases } from './v2-thread-group-cases.js';
import { fakeV2Tree, type V2Tree } from './v2-trees.js';

let tree: V2Tree;

beforeEach(() => (tree = fakeV2Tree('threads')));
afterEach(() => tree.remove());

describe('thread groups on a cgroup v2 tree', () => {
  v2ThreadGroupCases(() => tree);

  it('moves threads with cgroup.threads', () => {
    const host = HostCgroups.open({ root: tree.root, fs: tree.fs, controllers: [MEMORY], optionalControllers: [CPU, CPUACCT] })!;
    const domain = host.domain('vm', 'qemu');
    domain.create();
    const vcpu0 = domain.threadGroup('vcpu0', [CPU, CPUACCT]);
    vcpu0.create();
    vcpu0.addThread(4242);
    expect(tree.read(vcpu0.path, 'cgroup.threads')).toBe('4242');
  });

  it('hands out one handle per group and set of hierarchies: what its tunables remember is shared', () => {
    const host = HostCgroups.open({ root: tree.root, fs: tree.fs, controllers: [MEMORY, CPU] })!;
    const domain = host.domain('vm', 'qemu');
    domain.create();
    const vcpu0 = domain.threadGroup('vcpu0', [CPU]);
    vcpu0.create();
    vcpu0.tunables(CPU).apply({ quota: 20000n });
    expect(domain.threadGroup('vcpu0', [CPU])).toBe(vcpu0);
    expect(domain.threadGroup('vcpu1', [CPU])).not.toBe(vcpu0);
    expect(domain.threadGroup('vcpu0', [CPU]).tunables(CPU).plan({ quota: 30000n })).toEqual([
      { path: `${vcpu0.path}/cpu.max`, value: '30000 100000', previous: '20000 100000' },
    ]);
  });
});
