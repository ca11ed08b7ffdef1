import fc from 'fast-check';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { runCgroupTransaction } from '../../src/cgroup/transaction.js';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { emptyMemTune } from '../../src/memory/params.js';
import type { MemTune } from '../../src/xml/domain-def.js';
import { FakeCgroupFs, makeFakeV2Tree, removeFakeV2Tree, snapshotTree } from '../helpers/fake-cgroupfs.js';
import { MEMORY } from '../../src/cgroup/controllers.js';

let root: string;
let fs: FakeCgroupFs;

beforeEach(() => ({ root, fs } = makeFakeV2Tree('cgv2')));
afterEach(() => removeFakeV2Tree(root));

function open(): HostCgroups {
  const c = HostCgroups.open({ root, fs });
  if (!c) throw new Error('no controller');
  return c;
}

function tune(t: Partial<MemTune>): MemTune {
  return { ...emptyMemTune(), ...t };
}

const read = (dir: string, f: string): string => readFileSync(`${dir}/${f}`, 'utf8').trim();

describe('cgroup v2 backend on a cgroupfs-like tree', () => {
  it('is chosen for a root with cgroup.controllers and enables memory down the path', () => {
    const c = open();
    expect(c.filesOf(MEMORY).version).toBe('v2');
    const cg = c.domain('web', 'lxc');
    cg.create();
    expect(cg.path).toBe(`${root}/machine/web.virtune-lxc`);
    expect(read(root, 'cgroup.subtree_control')).toBe('memory');
    expect(read(`${root}/machine`, 'cgroup.subtree_control')).toBe('memory');
    fs.writes.length = 0;
    c.domain('db', 'lxc').create();
    expect(fs.writes).toEqual([]); // already enabled: not written again
  });

  it('maps each tunable to its file; swap files get the swap share only', () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 262144n, softLimit: 131072n, swapHardLimit: 393216n, minGuarantee: 65536n, swapSoftLimit: 327680n }));
    expect(read(cg.path, 'memory.max')).toBe(String(262144 * 1024));
    expect(read(cg.path, 'memory.high')).toBe(String(131072 * 1024));
    expect(read(cg.path, 'memory.min')).toBe(String(65536 * 1024));
    expect(read(cg.path, 'memory.swap.max')).toBe(String((393216 - 262144) * 1024));
    expect(read(cg.path, 'memory.swap.high')).toBe(String((327680 - 262144) * 1024));
    expect(cg.tunables(MEMORY).read()).toEqual({
      hardLimit: 262144n,
      softLimit: 131072n,
      swapHardLimit: 393216n,
      minGuarantee: 65536n,
      swapSoftLimit: 327680n,
    });
  });

  it("writes 'max' for unlimited and reads it back as UNLIMITED; 0 is a real limit", () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 0n, swapHardLimit: 0n }));
    expect(read(cg.path, 'memory.max')).toBe('0');
    expect(read(cg.path, 'memory.swap.max')).toBe('0');
    cg.tunables(MEMORY).apply(tune({}));
    expect(read(cg.path, 'memory.max')).toBe('max');
    expect(read(cg.path, 'memory.swap.max')).toBe('max');
    expect(cg.tunables(MEMORY).read().hardLimit).toBe(UNLIMITED);
  });

  it('rewrites the swap share when only the hard limit changes', () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 1000n, swapHardLimit: 3000n }));
    fs.writes.length = 0;
    cg.tunables(MEMORY).apply(tune({ hardLimit: 2000n, swapHardLimit: 3000n }));
    expect(fs.writes.map((w) => w.path.split('/').pop())).toEqual(['memory.swap.max', 'memory.max']);
    expect(read(cg.path, 'memory.swap.max')).toBe(String(1000 * 1024));
  });

  it('refuses an out-of-range value before writing anything', () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    const before = snapshotTree(root);
    expect(() => cg.tunables(MEMORY).apply(tune({ softLimit: 5n, hardLimit: UNLIMITED + 1n }))).toThrow(/must be less than/);
    expect(() => cg.tunables(MEMORY).apply(tune({ softLimit: 5n, hardLimit: -1n }))).toThrow(VirError);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('rolls back every write when a later one fails, with libvirt text and errno', () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 4096n, softLimit: 2048n }));
    const before = snapshotTree(root);
    fs.faults = [{ file: 'memory.max', errno: 'EBUSY' }];
    let err: VirError | undefined;
    try {
      cg.tunables(MEMORY).apply(tune({ hardLimit: 1024n, softLimit: 512n, minGuarantee: 256n }));
    } catch (e) {
      err = e as VirError;
    }
    expect(err).toBeInstanceOf(VirError);
    expect(err!.code).toBe(ErrorCode.SYSTEM_ERROR);
    expect(err!.domain).toBe(ErrorDomain.CGROUP);
    expect(err!.errno).toBe('EBUSY');
    expect(err!.message).toBe(`Unable to write to '${cg.path}/memory.max': Device or resource busy`);
    expect(snapshotTree(root)).toEqual(before);
  });

  it("says Invalid value '%s' for '%s' on EINVAL", () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    fs.faults = [{ file: 'memory.high', errno: 'EINVAL' }];
    const err = (() => {
      try {
        cg.tunables(MEMORY).apply(tune({ softLimit: 8n }));
      } catch (e) {
        return e as VirError;
      }
      return undefined;
    })();
    expect(err?.message).toBe("Invalid value '8192' for 'memory.high': Invalid argument");
    expect(err?.errno).toBe('EINVAL');
  });

  it('fails before any write when a file is missing, and never creates one', () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    rmSync(`${cg.path}/memory.swap.high`);
    fs.writes.length = 0;
    const before = snapshotTree(root);
    expect(() => cg.tunables(MEMORY).apply(tune({ softLimit: 100n, hardLimit: 200n, swapHardLimit: 300n, swapSoftLimit: 250n }))).toThrow(
      /Unable to read from '.*memory\.swap\.high': No such file or directory/,
    );
    expect(fs.writes).toEqual([]);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('rolls back when a file vanishes in the middle of a transaction (ENOENT)', () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    const before = snapshotTree(root);
    fs.faults = [{ file: 'memory.swap.high', errno: 'ENOENT' }];
    expect(() => cg.tunables(MEMORY).apply(tune({ softLimit: 100n, hardLimit: 200n, swapHardLimit: 300n, swapSoftLimit: 250n }))).toThrow(
      /Unable to write to '.*memory\.swap\.high': No such file or directory/,
    );
    expect(fs.writes.length).toBeGreaterThan(0);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('restores the previous state whatever write fails (property)', () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    const kib = fc.bigInt({ min: 0n, max: 1n << 30n });
    const memtune = fc.record({ hardLimit: kib, softLimit: kib, minGuarantee: kib, swapHardLimit: kib, swapSoftLimit: kib });
    fc.assert(
      fc.property(memtune, memtune, fc.nat(6), (a, b, failAt) => {
        fs.faults = [];
        cg.tunables(MEMORY).apply(a);
        const before = snapshotTree(root);
        const files = ['memory.high', 'memory.min', 'memory.max', 'memory.swap.max', 'memory.swap.high'];
        fs.faults = failAt < files.length ? [{ file: files[failAt]!, errno: 'EIO' }] : [];
        try {
          cg.tunables(MEMORY).apply(b);
        } catch (e) {
          expect((e as VirError).errno).toBe('EIO');
          expect(snapshotTree(root)).toEqual(before);
          return;
        }
        const got = cg.tunables(MEMORY).read();
        expect([got.hardLimit, got.softLimit, got.minGuarantee]).toEqual([b.hardLimit, b.softLimit, b.minGuarantee]);
        // A memory-plus-swap value below the hard limit leaves no swap: it reads back as the hard limit.
        expect(got.swapHardLimit).toBe(b.swapHardLimit > b.hardLimit ? b.swapHardLimit : b.hardLimit);
        expect(got.swapSoftLimit).toBe(b.swapSoftLimit > b.hardLimit ? b.swapSoftLimit : b.hardLimit);
      }),
      { numRuns: 100 },
    );
  });

  it('transaction rollback() undoes a completed transaction', () => {
    const cg = open().domain('web', 'lxc');
    cg.create();
    const before = snapshotTree(root);
    const tx = runCgroupTransaction(fs, [
      { path: `${cg.path}/memory.high`, value: '4096' },
      { path: `${cg.path}/memory.max`, value: '8192' },
    ]);
    expect(read(cg.path, 'memory.max')).toBe('8192');
    expect(tx.rollback()).toEqual([]);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('removes exactly its own directory', () => {
    const c = open();
    const a = c.domain('a', 'lxc');
    const b = c.domain('b', 'lxc');
    a.create();
    b.create();
    a.remove();
    expect(a.exists()).toBe(false);
    expect(b.exists()).toBe(true);
    a.remove(); // already gone: not an error
  });

  it('reports the tightest limit on the parent path', () => {
    const c = HostCgroups.open({ root, fs, parent: 'machine/tenant' })!;
    c.domain('x', 'lxc').create();
    writeFileSync(`${root}/machine/memory.max`, `${512 * 1024 * 1024}\n`);
    writeFileSync(`${root}/machine/tenant/memory.max`, 'max\n');
    expect(c.parentLimitKiB()).toBe(512n * 1024n);
  });
});
