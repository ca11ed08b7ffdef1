// The cgroup files a running domain keeps open (OpenCgroupFiles over realCgroupFs.open), on the real kernel's
// cgroupfs: cgroup v1 (memory, cpu) and the cgroup2 mount of this hybrid host. What the kernel does with a held
// descriptor is the point: a write at offset 0 replaces the value, a read at offset 0 shows the new one, and a
// removed cgroup's descriptor fails with ENODEV, even once a cgroup is made again under the same path.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { realCgroupFs } from '../../src/cgroup/cgroup-fs.js';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU, MEMORY } from '../../src/cgroup/controllers.js';
import { MAX_OPEN_CGROUP_FILES, openCgroupFileCount, OpenCgroupFiles } from '../../src/cgroup/open-files.js';
import { runCgroupTransaction } from '../../src/cgroup/transaction.js';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { skipUnless } from '../helpers/prereq.js';

const V1_MEMORY = '/sys/fs/cgroup/memory';
const V2_ROOT = '/sys/fs/cgroup/unified';
const fdCount = (): number => readdirSync('/proc/self/fd').length;
const text = (path: string): string => readFileSync(path, 'utf8').trim();

/** A VirError's identity, to compare the errors of two ways of doing one thing. */
function errorOf(fn: () => unknown): { code: number; domain: number; message: string; errno?: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VirError);
    const v = e as VirError;
    return { code: v.code, domain: v.domain, message: v.message, errno: v.errno };
  }
  throw new Error('no error');
}

describe.skipIf(skipUnless('root', 'cgroup-v1-memory'))('cgroup files held open, cgroup v1 (real kernel)', () => {
  const made: string[] = [];
  const cgroup = (root = V1_MEMORY): string => {
    const dir = `${root}/virtune-test-openfiles-${process.pid}-${randomBytes(3).toString('hex')}`;
    mkdirSync(dir);
    made.push(dir);
    return dir;
  };
  const fdsAtStart = fdCount();
  const heldAtStart = openCgroupFileCount();
  afterEach(async () => {
    for (const dir of made.splice(0)) if (existsSync(dir)) await removeCgroupDir(dir);
    expect(openCgroupFileCount()).toBe(heldAtStart);
  });
  afterAll(() => {
    expect(fdCount()).toBe(fdsAtStart);
  });

  it('a held file takes each write whole at offset 0 and reads back the new value (a shorter one leaves no tail)', () => {
    const file = `${cgroup()}/memory.limit_in_bytes`;
    const handle = realCgroupFs.open!(file)!;
    expect(handle).toBeDefined();
    try {
      handle.write('1073741824');
      expect(handle.read().trim()).toBe('1073741824');
      handle.write('8388608');
      expect(handle.read().trim()).toBe('8388608');
      expect(text(file)).toBe('8388608');
      // -1 is "no limit": the kernel shows its own page-rounded maximum, as a read by path does.
      handle.write('-1');
      expect(handle.read()).toBe(readFileSync(file, 'utf8'));
    } finally {
      handle.close();
    }
  });

  it('holds nothing open outside cgroupfs or for a missing file', () => {
    const dir = mkdtempSync(`${tmpdir()}/virtune-openfiles-${process.pid}-`);
    try {
      writeFileSync(`${dir}/memory.limit_in_bytes`, '1073741824\n');
      expect(realCgroupFs.open!(`${dir}/memory.limit_in_bytes`)).toBeUndefined();
      // Kept open where it can be, such a file still goes by path: it ends as a write by path leaves it.
      writeFileSync(`${dir}/twin`, '1073741824\n');
      const files = new OpenCgroupFiles(realCgroupFs);
      files.keepOpen();
      for (const value of ['4096', '8192']) {
        files.writeFile(`${dir}/memory.limit_in_bytes`, value);
        realCgroupFs.writeFile(`${dir}/twin`, value);
      }
      expect(files.size).toBe(0);
      expect(readFileSync(`${dir}/memory.limit_in_bytes`, 'utf8')).toBe(readFileSync(`${dir}/twin`, 'utf8'));
      files.close();
    } finally {
      rmSync(dir, { recursive: true });
    }
    expect(realCgroupFs.open!(`${V1_MEMORY}/no-such-cgroup-${process.pid}/memory.limit_in_bytes`)).toBeUndefined();
  });

  it('keeps one descriptor per file written once told to, and closes them all', () => {
    const dir = cgroup();
    const files = new OpenCgroupFiles(realCgroupFs);
    const before = fdCount();
    files.writeFile(`${dir}/memory.soft_limit_in_bytes`, '8388608');
    expect(files.size).toBe(0);
    expect(fdCount()).toBe(before);
    files.keepOpen();
    for (let i = 0; i < 20; i++) {
      files.writeFile(`${dir}/memory.soft_limit_in_bytes`, String((i + 1) * 4096));
      files.writeFile(`${dir}/memory.limit_in_bytes`, String((i + 100) * 4096));
      expect(files.readFile(`${dir}/memory.limit_in_bytes`).trim()).toBe(String((i + 100) * 4096));
    }
    expect(text(`${dir}/memory.soft_limit_in_bytes`)).toBe(String(20 * 4096));
    expect(files.size).toBe(2);
    expect(fdCount()).toBe(before + 2);
    expect(openCgroupFileCount()).toBe(heldAtStart + 2);
    files.close();
    files.close();
    expect(files.size).toBe(0);
    expect(fdCount()).toBe(before);
    // Closed for good: later writes go by path.
    files.writeFile(`${dir}/memory.limit_in_bytes`, '8388608');
    expect(files.size).toBe(0);
    expect(text(`${dir}/memory.limit_in_bytes`)).toBe('8388608');
  });

  it('a held file fails as a write by path does, with the same error (EINVAL; a read-only file)', () => {
    const dir = cgroup();
    const held = new OpenCgroupFiles(realCgroupFs);
    held.keepOpen();
    held.writeFile(`${dir}/memory.limit_in_bytes`, '1073741824');
    expect(held.size).toBe(1);
    const bad = [{ path: `${dir}/memory.limit_in_bytes`, value: 'lots' }];
    const viaHandle = errorOf(() => runCgroupTransaction(held, bad));
    const byPath = errorOf(() => runCgroupTransaction(realCgroupFs, bad));
    expect(viaHandle).toEqual(byPath);
    expect(viaHandle).toMatchObject({ code: ErrorCode.SYSTEM_ERROR, domain: ErrorDomain.CGROUP, errno: 'EINVAL' });
    expect(text(`${dir}/memory.limit_in_bytes`)).toBe('1073741824');
    expect(held.size).toBe(1);
    // cgroupfs opens a read-only file read-write too (only sysfs refuses at open): its write fails as by path.
    const readOnly = [{ path: `${dir}/memory.usage_in_bytes`, value: '0', previous: '0' }];
    expect(errorOf(() => runCgroupTransaction(held, readOnly))).toEqual(errorOf(() => runCgroupTransaction(realCgroupFs, readOnly)));
    held.close();
  });

  it('a removed cgroup: the held descriptor fails with ENODEV, is closed, and the write goes by path (ENOENT, as before)', () => {
    const dir = cgroup();
    const file = `${dir}/memory.limit_in_bytes`;
    const held = new OpenCgroupFiles(realCgroupFs);
    held.keepOpen();
    held.writeFile(file, '1073741824');
    const before = fdCount();
    rmdirSync(dir);
    const viaHandle = errorOf(() => runCgroupTransaction(held, [{ path: file, value: '8388608', previous: '1073741824' }]));
    const byPath = errorOf(() => runCgroupTransaction(realCgroupFs, [{ path: file, value: '8388608', previous: '1073741824' }]));
    expect(viaHandle).toEqual(byPath);
    expect(viaHandle.errno).toBe('ENOENT');
    expect(held.size).toBe(0);
    expect(fdCount()).toBe(before - 1);
    held.close();
  });

  it('a cgroup removed and made again under the same path: the held descriptor never writes into the new one', () => {
    const dir = cgroup();
    const file = `${dir}/memory.limit_in_bytes`;
    const handle = realCgroupFs.open!(file)!;
    try {
      handle.write('1073741824');
      rmdirSync(dir);
      mkdirSync(dir);
      const fresh = text(file);
      expect(() => handle.write('8388608')).toThrow(expect.objectContaining({ code: 'ENODEV' }));
      expect(() => handle.read()).toThrow(expect.objectContaining({ code: 'ENODEV' }));
      expect(text(file)).toBe(fresh);
    } finally {
      handle.close();
    }
  });

  it('holds at most MAX_OPEN_CGROUP_FILES open in the process; past that, files go by path', () => {
    const dir = cgroup();
    const held = new OpenCgroupFiles(realCgroupFs);
    held.keepOpen();
    const room = MAX_OPEN_CGROUP_FILES - openCgroupFileCount();
    // One file under as many spellings of its path as needed to reach the limit: each is a file to the cache.
    const spelling = (i: number): string => `${dir}/${'./'.repeat(i)}memory.soft_limit_in_bytes`;
    try {
      for (let i = 0; i <= room; i++) held.writeFile(spelling(i), String((i + 1) * 4096));
      expect(held.size).toBe(room);
      expect(openCgroupFileCount()).toBe(MAX_OPEN_CGROUP_FILES);
      expect(text(`${dir}/memory.soft_limit_in_bytes`)).toBe(String((room + 1) * 4096));
    } finally {
      held.close();
    }
  });

  it("a domain cgroup keeps its tunables' files open only once told to, thread groups included, until closeFiles or remove", async () => {
    const parent = `virtune-test-openfiles-${process.pid}-${randomBytes(3).toString('hex')}`;
    const host = HostCgroups.open({ parent, controllers: [MEMORY], optionalControllers: [CPU] })!;
    try {
      const cg = host.domain('held', 'lxc');
      cg.create();
      cg.tunables(MEMORY).apply({ hardLimit: 1048576n, softLimit: 524288n, swapHardLimit: 2097152n });
      expect(cg.openFiles).toBe(0);
      cg.keepFilesOpen();
      cg.tunables(MEMORY).apply({ hardLimit: 786432n, softLimit: 524288n, swapHardLimit: 2097152n });
      expect(cg.openFiles).toBe(1);
      expect(cg.tunables(MEMORY).read().hardLimit).toBe(786432n);
      if (cg.has(CPU)) {
        const group = cg.threadGroup('emulator', [CPU]);
        group.create();
        group.tunables(CPU).apply({ shares: 512n });
        expect(cg.openFiles).toBe(2);
        expect(text(`${group.tunables(CPU).dir}/cpu.shares`)).toBe('512');
      }
      const fds = fdCount();
      cg.remove();
      expect(cg.openFiles).toBe(0);
      expect(fdCount()).toBe(fds - (cg.has(CPU) ? 2 : 1));
      cg.closeFiles();
    } finally {
      for (const p of host.placements) await removeCgroupDir(`${p.root}/${parent}`);
    }
  });

  describe.skipIf(!existsSync(`${V2_ROOT}/cgroup.procs`) || !existsSync(`${V2_ROOT}/cgroup.max.descendants`))('on the cgroup2 mount', () => {
    it('a held file takes writes at offset 0, reads back the new value, and a removed cgroup gives ENODEV', () => {
      const dir = cgroup(V2_ROOT);
      const file = `${dir}/cgroup.max.descendants`;
      const held = new OpenCgroupFiles(realCgroupFs);
      held.keepOpen();
      held.writeFile(file, '100');
      held.writeFile(file, '7');
      expect(held.size).toBe(1);
      expect(held.readFile(file).trim()).toBe('7');
      expect(text(file)).toBe('7');
      const handle = realCgroupFs.open!(file)!;
      try {
        rmdirSync(dir);
        mkdirSync(dir);
        expect(() => handle.write('3')).toThrow(expect.objectContaining({ code: 'ENODEV' }));
        // The cache drops its stale descriptor and goes by path: the new cgroup, as every write did before.
        held.writeFile(file, '5');
        expect(text(file)).toBe('5');
      } finally {
        handle.close();
        held.close();
      }
    });
  });
});
