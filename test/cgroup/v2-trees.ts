/**
 * The cgroup v2 trees the v2 cases (./v2-memory-cases.ts, ./v2-cpu-cases.ts) run on: a directory laid out like
 * cgroupfs, or a real kernel's cgroup in a QEMU guest (./v2-guest.test.ts). The cases see only {@link V2Tree}.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { CgroupFileSystem } from '../../src/cgroup/cgroup-fs.js';
import type { VirError } from '../../src/errors.js';
import { FaultyCgroupFs, makeFakeV2Tree, removeFakeV2Tree, snapshotTree } from '../helpers/fake-cgroupfs.js';

/** One case's cgroup v2 tree: a fresh root offering the memory, cpu and io controllers. */
export interface V2Tree {
  /** The tree's root directory (a cgroup2 mount or a cgroup in one). */
  readonly root: string;
  /** What the code under test uses: the tree's files under fault injection. */
  readonly fs: FaultyCgroupFs;
  /** A file's content, trimmed, read past the fault injection. */
  read(dir: string, file: string): string;
  /** Writes a file past the fault injection (a case's set-up). */
  write(dir: string, file: string, value: string): void;
  /** The content of every file the code may write, in every cgroup of the tree: compared before and after. */
  snapshot(): Record<string, string>;
  /** Makes `file` missing from directory `dir` (for a kernel's fixed files: reported missing). */
  hide(dir: string, file: string): void;
  /** What the tree keeps of a limit of `kib` KiB: the kernel rounds down to a page, a fake tree keeps it all. */
  kept(kib: bigint): bigint;
  /** Removes the tree. */
  remove(): void;
}

/** A fresh fake tree in a unique temp dir (test/helpers/fake-cgroupfs.ts plays the kernel). */
export function fakeV2Tree(label: string): V2Tree {
  const { root, fs } = makeFakeV2Tree(label);
  return {
    root,
    fs,
    read: (dir, file) => readFileSync(`${dir}/${file}`, 'utf8').trim(),
    write: (dir, file, value) => writeFileSync(`${dir}/${file}`, `${value}\n`),
    // Every file, not just the managed ones: a fake tree shows any stray write.
    snapshot: () => snapshotTree(root),
    hide: (dir, file) => rmSync(`${dir}/${file}`),
    kept: (kib) => kib,
    remove: () => removeFakeV2Tree(root),
  };
}

/** The files the code under test may write in a cgroup, by the controller that brings them. */
const MANAGED: Readonly<Record<string, readonly string[]>> = {
  cgroup: ['cgroup.subtree_control', 'cgroup.type'],
  memory: ['memory.max', 'memory.high', 'memory.min', 'memory.low', 'memory.swap.max', 'memory.swap.high'],
  cpu: ['cpu.weight', 'cpu.max'],
  io: ['io.max'],
};

/** Removes a cgroup and everything under it, deepest first (a missing one is fine). */
export function removeCgroupTree(fs: CgroupFileSystem, path: string): void {
  if (!fs.exists(path)) return;
  for (const child of fs.subdirs(path)) removeCgroupTree(fs, `${path}/${child}`);
  fs.rmdir(path);
}

/**
 * A fresh cgroup `root` made through `guest` (a guest kernel's files, test/helpers/guest-cgroupfs.ts), whose parent
 * gives its children memory and cpu.
 */
export function guestV2Tree(guest: CgroupFileSystem, root: string): V2Tree {
  guest.mkdir(root);
  const fs = new FaultyCgroupFs(guest);
  return {
    root,
    fs,
    read: (dir, file) => guest.readFile(`${dir}/${file}`).trim(),
    write: (dir, file, value) => guest.writeFile(`${dir}/${file}`, value),
    snapshot() {
      const out: Record<string, string> = {};
      const walk = (dir: string): void => {
        // A cgroup has the files of the controllers its parent gives it (cgroup.controllers).
        const controllers = ['cgroup', ...guest.readFile(`${dir}/cgroup.controllers`).split(/\s+/)];
        for (const file of controllers.flatMap((c) => MANAGED[c] ?? [])) out[`${dir.slice(root.length)}/${file}`] = guest.readFile(`${dir}/${file}`);
        for (const child of guest.subdirs(dir)) walk(`${dir}/${child}`);
      };
      walk(root);
      return out;
    },
    // The kernel's files cannot be deleted: the fault layer reports the file missing instead.
    hide: (_dir, file) => void fs.missing.push(file),
    // 4 KiB pages (x86-64).
    kept: (kib) => (kib / 4n) * 4n,
    remove: () => removeCgroupTree(guest, root),
  };
}

/**
 * One step of the rollback properties: applies `a`, then `b` with the write to `files[failAt]` failing with EIO (no
 * fault when `failAt` is past the list). When `b` fails, the tree must be exactly as `a` left it; returns whether
 * `b` went through, for the caller to check what it reads back.
 */
export function applyWithFault<T>(t: V2Tree, apply: (v: T) => void, a: T, b: T, files: readonly string[], failAt: number): boolean {
  t.fs.faults = [];
  apply(a);
  const before = t.snapshot();
  t.fs.faults = failAt < files.length ? [{ file: files[failAt]!, errno: 'EIO' }] : [];
  try {
    apply(b);
  } catch (e) {
    expect((e as VirError).errno).toBe('EIO');
    expect(t.snapshot()).toEqual(before);
    return false;
  }
  return true;
}
