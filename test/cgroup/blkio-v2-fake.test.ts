import fc from 'fast-check';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { BLKIO, MEMORY } from '../../src/cgroup/controllers.js';
import type { DomainCgroup } from '../../src/cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { virErrorOf } from '../helpers/vir-error.js';
import { FakeCgroupFs, makeFakeV2Tree, removeFakeV2Tree, snapshotTree } from '../helpers/fake-cgroupfs.js';

let root: string;
let fs: FakeCgroupFs;

beforeEach(() => ({ root, fs } = makeFakeV2Tree('iov2')));
afterEach(() => removeFakeV2Tree(root));

function domain(): DomainCgroup {
  const cg = HostCgroups.open({ root, fs, controllers: [MEMORY, BLKIO] })!.domain('web', 'qemu');
  cg.create();
  return cg;
}

const read = (dir: string, f: string): string => readFileSync(`${dir}/${f}`, 'utf8').trim();
const written = (): [string | undefined, string][] => fs.writes.map((w) => [w.path.split('/').pop(), w.value]);

describe('cgroup v2 io controller on a cgroupfs-like tree', () => {
  it('enables io and writes the weight to io.bfq.weight and the throttles as io.max lines', () => {
    const cg = domain();
    expect(read(root, 'cgroup.subtree_control').split(' ').sort()).toEqual(['io', 'memory']);
    const io = cg.tunables(BLKIO);
    expect(io.files.version).toBe('v2');
    fs.writes.length = 0;
    io.apply({ weight: 300, devices: { '7:0': { writeBps: 2097152n, readIops: 50n }, '8:16': { weight: 700 } } });
    expect(written()).toEqual([
      ['io.bfq.weight', '300'],
      ['io.max', '7:0 riops=50 wiops=max rbps=max wbps=2097152'],
      ['io.bfq.weight', '8:16 700'],
    ]);
    expect(read(cg.path, 'io.max')).toBe('7:0 rbps=max wbps=2097152 riops=50 wiops=max');
    expect(read(cg.path, 'io.bfq.weight')).toBe('default 300\n8:16 700');
    expect(io.read()).toEqual({
      weight: 300,
      devices: { '7:0': { readIops: 50n, writeIops: 0n, readBps: 0n, writeBps: 2097152n }, '8:16': { weight: 700 } },
    });
  });

  it('changes one throttle of a device without touching the others; 0 removes a limit', () => {
    const io = domain().tunables(BLKIO);
    io.apply({ devices: { '7:0': { writeBps: 1000n, readBps: 2000n } } });
    fs.writes.length = 0;
    io.apply({ devices: { '7:0': { writeBps: 0n } } });
    expect(written()).toEqual([['io.max', '7:0 riops=max wiops=max rbps=2000 wbps=max']]);
    io.apply({ devices: { '7:0': { readBps: 0n }, '8:16': { weight: 0 } } });
    expect(read(io.dir, 'io.max')).toBe('');
    expect(io.read()).toEqual({ weight: 100, devices: {} });
  });

  it('uses io.weight (`default N`, up to 10000) where BFQ is absent', () => {
    const cg = domain();
    rmSync(`${cg.path}/io.bfq.weight`);
    writeFileSync(`${cg.path}/io.weight`, 'default 100\n');
    const io = cg.tunables(BLKIO);
    io.apply({ weight: 5000, devices: { '7:0': { weight: 9000 } } });
    expect(read(cg.path, 'io.weight')).toBe('default 5000\n7:0 9000');
  });

  it('refuses a weight with no weight file, out-of-range values and bad device numbers before any write', () => {
    const cg = domain();
    const before = snapshotTree(root);
    expect(virErrorOf(() => cg.tunables(BLKIO).apply({ weight: 1001 })).message).toBe('invalid argument: blkio weight \'1001\' must be in range [1, 1000]');
    expect(virErrorOf(() => cg.tunables(BLKIO).apply({ devices: { '7:0': { readIops: 2n ** 32n } } })).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => cg.tunables(BLKIO).apply({ devices: { '7:0': { writeBps: -1n } } })).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => cg.tunables(BLKIO).apply({ devices: { '/dev/sda': { writeBps: 1n } } })).code).toBe(ErrorCode.INVALID_ARG);
    expect(snapshotTree(root)).toEqual(before);
    rmSync(`${cg.path}/io.bfq.weight`);
    const none = HostCgroups.open({ root, fs, controllers: [MEMORY, BLKIO] })!.domain('web', 'qemu').tunables(BLKIO);
    const err = virErrorOf(() => none.apply({ weight: 500 }));
    expect([err.code, err.domain, err.message]).toEqual([
      ErrorCode.OPERATION_INVALID,
      ErrorDomain.CGROUP,
      'Requested operation is not valid: blkio weight is valid only for bfq or cfq scheduler',
    ]);
    none.apply({ devices: { '7:0': { writeIops: 10n } } }); // throttles still work
    expect(read(cg.path, 'io.max')).toBe('7:0 rbps=max wbps=max riops=max wiops=10');
  });

  it('rolls back earlier writes when a later device line fails', () => {
    const cg = domain();
    cg.tunables(BLKIO).apply({ weight: 200, devices: { '7:0': { writeBps: 5000n } } });
    const before = snapshotTree(root);
    fs.faults = [{ file: 'io.max', errno: 'ENODEV', value: '8:0 riops=max wiops=max rbps=max wbps=100' }];
    const err = virErrorOf(() => cg.tunables(BLKIO).apply({ weight: 900, devices: { '7:0': { writeBps: 1n }, '8:0': { writeBps: 100n } } }));
    expect(err.errno).toBe('ENODEV');
    expect(err.message).toMatch(/^Unable to write to '.*\/io\.max': No such device$/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('restores the previous state whatever write fails (property)', () => {
    const cg = domain();
    const rate = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 1n << 40n }));
    const device = fc.record({ writeBps: rate, readBps: rate, readIops: fc.bigInt({ min: 0n, max: 1000n }), weight: fc.integer({ min: 0, max: 1000 }) }, { requiredKeys: [] });
    const values = fc.record({
      weight: fc.integer({ min: 1, max: 1000 }),
      devices: fc.dictionary(fc.constantFrom('7:0', '7:1', '8:0'), device),
    });
    fc.assert(
      fc.property(values, values, fc.nat(4), (a, b, failAt) => {
        fs.faults = [];
        cg.tunables(BLKIO).apply(a);
        const before = snapshotTree(root);
        const n = fs.writes.length;
        const failing = failAt % 2 === 0 ? 'io.max' : 'io.bfq.weight';
        fs.faults = [{ file: failing, errno: 'EIO' }];
        try {
          cg.tunables(BLKIO).apply(b);
        } catch (e) {
          expect((e as VirError).errno).toBe('EIO');
          expect(snapshotTree(root)).toEqual(before);
          return;
        }
        // It went through: it wrote nothing to the failing file, and the files hold b.
        expect(fs.writes.slice(n).some((w) => w.path.endsWith(`/${failing}`))).toBe(false);
        expect(cg.tunables(BLKIO).read().weight).toBe(b.weight);
      }),
      { numRuns: 50 },
    );
  });
});
