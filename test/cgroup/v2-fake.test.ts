import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe } from 'vitest';
import { makeFakeV2Tree, removeFakeV2Tree, snapshotTree } from '../helpers/fake-cgroupfs.js';
import { v2MemoryCases, type V2Tree } from './v2-memory-cases.js';

let tree: V2Tree;

beforeEach(() => {
  const { root, fs } = makeFakeV2Tree('cgv2');
  tree = {
    root,
    fs,
    read: (dir, file) => readFileSync(`${dir}/${file}`, 'utf8').trim(),
    write: (dir, file, value) => writeFileSync(`${dir}/${file}`, `${value}\n`),
    // Every file, not just the managed ones: a fake tree shows any stray write.
    snapshot: () => snapshotTree(root),
    hide: (dir, file) => rmSync(`${dir}/${file}`),
    kept: (kib) => kib,
  };
});
afterEach(() => removeFakeV2Tree(tree.root));

describe('cgroup v2 backend on a cgroupfs-like tree', () => {
  v2MemoryCases(() => tree, { propertyRuns: 100 });
});
