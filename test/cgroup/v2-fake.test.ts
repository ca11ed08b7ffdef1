import { afterEach, beforeEach, describe } from 'vitest';
import { v2MemoryCases } from './v2-memory-cases.js';
import { fakeV2Tree, type V2Tree } from './v2-trees.js';

let tree: V2Tree;

beforeEach(() => (tree = fakeV2Tree('cgv2')));
afterEach(() => tree.remove());

describe('cgroup v2 backend on a cgroupfs-like tree', () => {
  v2MemoryCases(() => tree, { propertyRuns: 100 });
});
