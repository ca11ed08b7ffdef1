/**
 * The cgroup v2 memory backend's cases, run by v2-fake.test.ts on a directory tree laid out like cgroupfs and by
 * v2-guest.test.ts on a real kernel's cgroup2 files (a QEMU guest): the same expectations hold for both, except
 * where the kernel rounds a value to a page (`V2Tree.kept`).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { MEMORY } from '../../src/cgroup/controllers.js';
import { runCgroupTransaction } from '../../src/cgroup/transaction.js';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { memTune as tune } from '../helpers/domain-def.js';
import { virErrorOf } from '../helpers/vir-error.js';
import { applyWithFault, type V2Tree } from './v2-trees.js';

export interface V2CaseOptions {
  /** Runs of the rollback property (each is some 40 file operations; a guest's take milliseconds each). */
  propertyRuns: number;
}

/**
 * Lets the event loop run between a property's runs: on a guest each run blocks this thread for a while (its file
 * operations are synchronous), and the test runner's own messages must not wait for the whole property.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Defines the cases (call inside a describe); `tree` gives the current case's tree. */
export function v2MemoryCases(tree: () => V2Tree, options: V2CaseOptions): void {
  const open = (parent?: string): HostCgroups => {
    const t = tree();
    const c = HostCgroups.open({ root: t.root, fs: t.fs, ...(parent === undefined ? {} : { parent }) });
    if (!c) throw new Error('no controller');
    return c;
  };
  const created = (name = 'web') => {
    const cg = open().domain(name, 'lxc');
    cg.create();
    return cg;
  };

  it('is chosen for a root with cgroup.controllers and enables memory down the path', () => {
    const t = tree();
    const c = open();
    expect(c.filesOf(MEMORY).version).toBe('v2');
    const cg = c.domain('web', 'lxc');
    cg.create();
    expect(cg.path).toBe(`${t.root}/machine/web.virtune-lxc`);
    expect(t.read(t.root, 'cgroup.subtree_control')).toBe('memory');
    expect(t.read(`${t.root}/machine`, 'cgroup.subtree_control')).toBe('memory');
    t.fs.writes.length = 0;
    c.domain('db', 'lxc').create();
    expect(t.fs.writes).toEqual([]); // already enabled: not written again
  });

  it('maps each tunable to its file; swap files get the swap share only', () => {
    const t = tree();
    const cg = created();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 262144n, softLimit: 131072n, swapHardLimit: 393216n, minGuarantee: 65536n, swapSoftLimit: 327680n }));
    expect(t.read(cg.path, 'memory.max')).toBe(String(262144 * 1024));
    expect(t.read(cg.path, 'memory.high')).toBe(String(131072 * 1024));
    expect(t.read(cg.path, 'memory.min')).toBe(String(65536 * 1024));
    expect(t.read(cg.path, 'memory.swap.max')).toBe(String((393216 - 262144) * 1024));
    expect(t.read(cg.path, 'memory.swap.high')).toBe(String((327680 - 262144) * 1024));
    expect(cg.tunables(MEMORY).read()).toEqual({
      hardLimit: 262144n,
      softLimit: 131072n,
      swapHardLimit: 393216n,
      minGuarantee: 65536n,
      swapSoftLimit: 327680n,
    });
  });

  it("writes 'max' for unlimited and reads it back as UNLIMITED; 0 is a real limit", () => {
    const t = tree();
    const cg = created();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 0n, swapHardLimit: 0n }));
    expect(t.read(cg.path, 'memory.max')).toBe('0');
    expect(t.read(cg.path, 'memory.swap.max')).toBe('0');
    cg.tunables(MEMORY).apply(tune({}));
    expect(t.read(cg.path, 'memory.max')).toBe('max');
    expect(t.read(cg.path, 'memory.swap.max')).toBe('max');
    expect(cg.tunables(MEMORY).read().hardLimit).toBe(UNLIMITED);
  });

  it('rewrites the swap share when only the hard limit changes', () => {
    const t = tree();
    const cg = created();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 1000n, swapHardLimit: 3000n }));
    t.fs.writes.length = 0;
    cg.tunables(MEMORY).apply(tune({ hardLimit: 2000n, swapHardLimit: 3000n }));
    expect(t.fs.writes.map((w) => w.path.split('/').pop())).toEqual(['memory.swap.max', 'memory.max']);
    expect(t.read(cg.path, 'memory.swap.max')).toBe(String(1000 * 1024));
  });

  it('refuses an out-of-range value before writing anything', () => {
    const t = tree();
    const cg = created();
    const before = t.snapshot();
    expect(() => cg.tunables(MEMORY).apply(tune({ softLimit: 5n, hardLimit: UNLIMITED + 1n }))).toThrow(/must be less than/);
    expect(() => cg.tunables(MEMORY).apply(tune({ softLimit: 5n, hardLimit: -1n }))).toThrow(VirError);
    expect(t.snapshot()).toEqual(before);
  });

  it('rolls back every write when a later one fails, with libvirt text and errno', () => {
    const t = tree();
    const cg = created();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 4096n, softLimit: 2048n }));
    const before = t.snapshot();
    t.fs.faults = [{ file: 'memory.max', errno: 'EBUSY' }];
    const err = virErrorOf(() => cg.tunables(MEMORY).apply(tune({ hardLimit: 1024n, softLimit: 512n, minGuarantee: 256n })));
    expect(err).toBeInstanceOf(VirError);
    expect(err.code).toBe(ErrorCode.SYSTEM_ERROR);
    expect(err.domain).toBe(ErrorDomain.CGROUP);
    expect(err.errno).toBe('EBUSY');
    expect(err.message).toBe(`Unable to write to '${cg.path}/memory.max': Device or resource busy`);
    expect(t.snapshot()).toEqual(before);
  });

  it("says Invalid value '%s' for '%s' on EINVAL", () => {
    const t = tree();
    const cg = created();
    t.fs.faults = [{ file: 'memory.high', errno: 'EINVAL' }];
    const err = virErrorOf(() => cg.tunables(MEMORY).apply(tune({ softLimit: 8n })));
    expect(err.message).toBe("Invalid value '8192' for 'memory.high': Invalid argument");
    expect(err.errno).toBe('EINVAL');
  });

  it('fails before any write when a file is missing, and never creates one', () => {
    const t = tree();
    const cg = created();
    t.hide(cg.path, 'memory.swap.high');
    t.fs.writes.length = 0;
    const before = t.snapshot();
    expect(() => cg.tunables(MEMORY).apply(tune({ softLimit: 100n, hardLimit: 200n, swapHardLimit: 300n, swapSoftLimit: 250n }))).toThrow(
      /Unable to read from '.*memory\.swap\.high': No such file or directory/,
    );
    expect(t.fs.writes).toEqual([]);
    expect(t.snapshot()).toEqual(before);
  });

  it('rolls back when a file vanishes in the middle of a transaction (ENOENT)', () => {
    const t = tree();
    const cg = created();
    const before = t.snapshot();
    t.fs.faults = [{ file: 'memory.swap.high', errno: 'ENOENT' }];
    expect(() => cg.tunables(MEMORY).apply(tune({ softLimit: 100n, hardLimit: 200n, swapHardLimit: 300n, swapSoftLimit: 250n }))).toThrow(
      /Unable to write to '.*memory\.swap\.high': No such file or directory/,
    );
    expect(t.fs.writes.length).toBeGreaterThan(0);
    expect(t.snapshot()).toEqual(before);
  });

  it('restores the previous state whatever write fails (property)', async () => {
    const t = tree();
    const cg = created();
    const kib = fc.bigInt({ min: 0n, max: 1n << 30n });
    const memtune = fc.record({ hardLimit: kib, softLimit: kib, minGuarantee: kib, swapHardLimit: kib, swapSoftLimit: kib });
    await fc.assert(
      fc.asyncProperty(memtune, memtune, fc.nat(6), async (a, b, failAt) => {
        await yieldToEventLoop();
        if (!applyWithFault(t, (v) => cg.tunables(MEMORY).apply(v), a, b, ['memory.high', 'memory.min', 'memory.max', 'memory.swap.max', 'memory.swap.high'], failAt)) return;
        const got = cg.tunables(MEMORY).read();
        const k = t.kept;
        expect([got.hardLimit, got.softLimit, got.minGuarantee]).toEqual([k(b.hardLimit), k(b.softLimit), k(b.minGuarantee)]);
        // A memory-plus-swap value below the hard limit leaves no swap: it reads back as the hard limit. The swap
        // share is written (and rounded) on its own.
        const total = (limit: bigint) => k(b.hardLimit) + (limit > b.hardLimit ? k(limit - b.hardLimit) : 0n);
        expect(got.swapHardLimit).toBe(total(b.swapHardLimit));
        expect(got.swapSoftLimit).toBe(total(b.swapSoftLimit));
      }),
      { numRuns: options.propertyRuns },
    );
  });

  it('transaction rollback() undoes a completed transaction', () => {
    const t = tree();
    const cg = created();
    const before = t.snapshot();
    const tx = runCgroupTransaction(t.fs, [
      { path: `${cg.path}/memory.high`, value: '4096' },
      { path: `${cg.path}/memory.max`, value: '8192' },
    ]);
    expect(t.read(cg.path, 'memory.max')).toBe('8192');
    expect(tx.rollback()).toEqual([]);
    expect(t.snapshot()).toEqual(before);
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
    const t = tree();
    const c = open('machine/tenant');
    c.domain('x', 'lxc').create();
    t.write(`${t.root}/machine`, 'memory.max', String(512 * 1024 * 1024));
    t.write(`${t.root}/machine/tenant`, 'memory.max', 'max');
    expect(c.parentLimitKiB()).toBe(512n * 1024n);
  });
}
