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
});
