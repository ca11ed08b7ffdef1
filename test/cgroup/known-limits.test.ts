import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { realCgroupFs, type CgroupFileSystem } from '../../src/cgroup/cgroup-fs.js';
import { HostCgroups } from '../../src/cgroup/controller.js';
import type { DomainCgroup } from '../../src/cgroup/domain-cgroup.js';
import { VirError } from '../../src/errors.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { memTune as tune } from '../helpers/domain-def.js';
import { skipUnless } from '../helpers/prereq.js';
import { errnoError } from '../helpers/fake-cgroupfs.js';
import { MEMORY } from '../../src/cgroup/controllers.js';

const MiB = 1024n;
const base = (f: string): string => f.slice(f.lastIndexOf('/') + 1);

/** The real cgroupfs, with every read and write logged (file names only) and writes to `failOn` refused. */
class CountingFs implements CgroupFileSystem {
  reads: string[] = [];
  writes: string[] = [];
  failOn: string | undefined;
  readFile(path: string): string {
    this.reads.push(base(path));
    return realCgroupFs.readFile(path);
  }
  writeFile(path: string, value: string): void {
    if (this.failOn === base(path)) throw errnoError('EBUSY');
    this.writes.push(base(path));
    realCgroupFs.writeFile(path, value);
  }
  mkdir = realCgroupFs.mkdir;
  rmdir = realCgroupFs.rmdir;
  exists = realCgroupFs.exists;
  subdirs = realCgroupFs.subdirs;
  reset(): void {
    this.reads = [];
    this.writes = [];
  }
}

describe.skipIf(skipUnless('root', 'cgroup-v1-memory'))('known limits: a change reads no cgroup file (real cgroup v1)', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  const fs = new CountingFs();
  let controller: HostCgroups;
  let cg: DomainCgroup;
  const kib = (name: string): bigint => BigInt(readFileSync(`${cg.path}/${name}`, "utf8").trim()) >> 10n;

  beforeAll(() => {
    controller = HostCgroups.open({ parent, fs })!;
    expect(controller.filesOf(MEMORY).version).toBe('v1');
  });
  afterEach(async () => {
    fs.failOn = undefined;
    if (cg) await removeCgroupDir(cg.path);
  });
  afterAll(async () => {
    await removeCgroupDir(`${controller.root}/${parent}`);
  });

  function fresh(): DomainCgroup {
    cg = controller.domain(`known-${randomBytes(3).toString('hex')}`, 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 256n * MiB, softLimit: 128n * MiB, swapHardLimit: 512n * MiB }));
    fs.reset();
    return cg;
  }

  it('a hard_limit change once the limits are known: one write, no read', () => {
    fresh();
    const next = tune({ ...cg.tunables(MEMORY).known(), hardLimit: 300n * MiB });
    cg.tunables(MEMORY).apply(next, cg.tunables(MEMORY).plan(next, ['hardLimit']));
    expect(fs.writes).toEqual(['memory.limit_in_bytes']);
    expect(fs.reads).toEqual([]);
    expect(kib('memory.limit_in_bytes')).toBe(300n * MiB);
    expect(cg.tunables(MEMORY).known()).toEqual({ hardLimit: 300n * MiB, softLimit: 128n * MiB, swapHardLimit: 512n * MiB });
    // read() still asks the kernel, every file.
    fs.reset();
    expect(cg.tunables(MEMORY).read()).toEqual({ hardLimit: 300n * MiB, softLimit: 128n * MiB, swapHardLimit: 512n * MiB });
    expect(fs.reads).toHaveLength(3);
  });

  it('a field another writer changed is written again when a change names it, and left alone otherwise', () => {
    fresh();
    writeFileSync(`${cg.path}/memory.limit_in_bytes`, String(200n * MiB * 1024n));
    // soft only: the other writer's hard limit stays.
    let next = tune({ ...cg.tunables(MEMORY).known(), softLimit: 64n * MiB });
    cg.tunables(MEMORY).apply(next, cg.tunables(MEMORY).plan(next, ['softLimit']));
    expect(fs.writes).toEqual(['memory.soft_limit_in_bytes']);
    expect(kib('memory.limit_in_bytes')).toBe(200n * MiB);
    // hard named, with the value this object believes is there already: written anyway.
    fs.reset();
    next = tune({ ...cg.tunables(MEMORY).known(), hardLimit: 256n * MiB });
    cg.tunables(MEMORY).apply(next, cg.tunables(MEMORY).plan(next, ['hardLimit']));
    expect(fs.writes).toEqual(['memory.limit_in_bytes']);
    expect(kib('memory.limit_in_bytes')).toBe(256n * MiB);
  });

  it('a failed change restores the files and forgets the known limits, so the next plan reads the kernel', () => {
    fresh();
    fs.failOn = 'memory.memsw.limit_in_bytes';
    const next = tune({ hardLimit: 384n * MiB, softLimit: 128n * MiB, swapHardLimit: 768n * MiB });
    // Raising: soft unchanged, memsw first, and it fails.
    expect(() => cg.tunables(MEMORY).apply(next, cg.tunables(MEMORY).plan(next, ['hardLimit', 'swapHardLimit']))).toThrow(VirError);
    fs.failOn = undefined;
    expect(kib('memory.limit_in_bytes')).toBe(256n * MiB);
    fs.reset();
    expect(cg.tunables(MEMORY).known()).toEqual({ hardLimit: 256n * MiB, softLimit: 128n * MiB, swapHardLimit: 512n * MiB });
    expect(fs.reads).toHaveLength(3);
  });

  it('a failure midway restores the files written before it from the known values, without reading them', () => {
    fresh();
    fs.failOn = 'memory.limit_in_bytes';
    // Lowering: soft, then hard (refused), so soft is put back.
    const next = tune({ hardLimit: 128n * MiB, softLimit: 64n * MiB, swapHardLimit: 512n * MiB });
    expect(() => cg.tunables(MEMORY).apply(next, cg.tunables(MEMORY).plan(next, ['hardLimit', 'softLimit']))).toThrow(VirError);
    expect(fs.reads).toEqual([]);
    expect(fs.writes).toEqual(['memory.soft_limit_in_bytes', 'memory.soft_limit_in_bytes']);
    expect(kib('memory.soft_limit_in_bytes')).toBe(128n * MiB);
    expect(kib('memory.limit_in_bytes')).toBe(256n * MiB);
  });

  it('a rollback after success (a later step failed) forgets the known limits too', () => {
    fresh();
    const next = tune({ hardLimit: 128n * MiB, softLimit: 128n * MiB, swapHardLimit: 512n * MiB });
    const tx = cg.tunables(MEMORY).apply(next, cg.tunables(MEMORY).plan(next, ['hardLimit']));
    expect(kib('memory.limit_in_bytes')).toBe(128n * MiB);
    expect(tx.rollback()).toEqual([]);
    expect(kib('memory.limit_in_bytes')).toBe(256n * MiB);
    fs.reset();
    expect(cg.tunables(MEMORY).known().hardLimit).toBe(256n * MiB);
    expect(fs.reads).toHaveLength(3);
  });
});
