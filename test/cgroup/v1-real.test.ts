import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { realCgroupFs, type CgroupFileSystem } from '../../src/cgroup/cgroup-fs.js';
import { HostCgroups } from '../../src/cgroup/controller.js';
import type { DomainCgroup } from '../../src/cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { memTune as tune } from '../helpers/domain-def.js';
import { skipUnless } from '../helpers/prereq.js';
import { MEMORY } from '../../src/cgroup/controllers.js';

const V1_UNLIMITED = '9223372036854771712';
const MiB = 1024n;

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'python3'))('cgroup v1 backend on the real memory controller', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  let controller: HostCgroups;
  let cg: DomainCgroup;
  let hog: ChildProcess | undefined;
  const file = (name: string): string => readFileSync(`${cg.path}/${name}`, 'utf8').trim();

  beforeAll(() => {
    controller = HostCgroups.open({ parent })!;
    expect(controller.filesOf(MEMORY).version).toBe('v1');
  });
  afterEach(async () => {
    if (hog?.pid !== undefined && hog.exitCode === null && hog.signalCode === null) {
      const exited = new Promise((resolve) => hog!.once('exit', resolve));
      hog.kill('SIGKILL');
      await exited;
    }
    hog = undefined;
    if (cg) await removeCgroupDir(cg.path);
  });
  afterAll(async () => {
    await removeCgroupDir(`${controller.root}/${parent}`);
  });

  it('creates the cgroup under the configured parent and writes libvirt order for every memtune', () => {
    cg = controller.domain(`web-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
    expect(cg.path.startsWith(`${controller.root}/${parent}/web-`)).toBe(true);
    expect(file('memory.limit_in_bytes')).toBe(V1_UNLIMITED);

    cg.tunables(MEMORY).apply(tune({ hardLimit: 256n * MiB, softLimit: 128n * MiB, swapHardLimit: 512n * MiB }));
    expect(file('memory.limit_in_bytes')).toBe(String(256n * MiB * 1024n));
    expect(file('memory.soft_limit_in_bytes')).toBe(String(128n * MiB * 1024n));
    expect(file('memory.memsw.limit_in_bytes')).toBe(String(512n * MiB * 1024n));
    expect(cg.tunables(MEMORY).read()).toEqual({ hardLimit: 256n * MiB, softLimit: 128n * MiB, swapHardLimit: 512n * MiB });

    // Lowering both below the old hard limit: only works hard first (limit <= memsw at every instant).
    cg.tunables(MEMORY).apply(tune({ hardLimit: 64n * MiB, softLimit: 128n * MiB, swapHardLimit: 96n * MiB }));
    expect(cg.tunables(MEMORY).read()).toEqual({ hardLimit: 64n * MiB, softLimit: 128n * MiB, swapHardLimit: 96n * MiB });
    // Raising both above the old memsw: only works memsw first.
    cg.tunables(MEMORY).apply(tune({ hardLimit: 1024n * MiB, softLimit: 128n * MiB, swapHardLimit: 2048n * MiB }));
    expect(cg.tunables(MEMORY).read()).toEqual({ hardLimit: 1024n * MiB, softLimit: 128n * MiB, swapHardLimit: 2048n * MiB });

    // Unlimited is written as -1 and read back as UNLIMITED.
    cg.tunables(MEMORY).apply(tune({}));
    expect(file('memory.limit_in_bytes')).toBe(V1_UNLIMITED);
    expect(file('memory.memsw.limit_in_bytes')).toBe(V1_UNLIMITED);
    expect(cg.tunables(MEMORY).read()).toEqual({ hardLimit: UNLIMITED, softLimit: UNLIMITED, swapHardLimit: UNLIMITED });
  });

  it('writes soft first, then hard before memsw when lowering and memsw before hard when raising', () => {
    const written: string[] = [];
    const recording: CgroupFileSystem = {
      ...realCgroupFs,
      writeFile(path, value) {
        realCgroupFs.writeFile(path, value);
        written.push(path.slice(path.lastIndexOf('/') + 1));
      },
    };
    const recorded = HostCgroups.open({ parent, fs: recording })!;
    const name = `order-${randomBytes(2).toString('hex')}`;
    cg = recorded.domain(name, 'lxc');
    cg.create();
    // From unlimited, every limit is a lowering.
    cg.tunables(MEMORY).apply(tune({ hardLimit: 256n * MiB, softLimit: 128n * MiB, swapHardLimit: 512n * MiB }));
    expect(written).toEqual(['memory.soft_limit_in_bytes', 'memory.limit_in_bytes', 'memory.memsw.limit_in_bytes']);
    written.length = 0;
    cg.tunables(MEMORY).apply(tune({ hardLimit: 64n * MiB, softLimit: 32n * MiB, swapHardLimit: 96n * MiB }));
    expect(written).toEqual(['memory.soft_limit_in_bytes', 'memory.limit_in_bytes', 'memory.memsw.limit_in_bytes']);
    written.length = 0;
    cg.tunables(MEMORY).apply(tune({ hardLimit: 1024n * MiB, softLimit: 16n * MiB, swapHardLimit: 2048n * MiB }));
    expect(written).toEqual(['memory.soft_limit_in_bytes', 'memory.memsw.limit_in_bytes', 'memory.limit_in_bytes']);
    expect(cg.tunables(MEMORY).read()).toEqual({ hardLimit: 1024n * MiB, softLimit: 16n * MiB, swapHardLimit: 2048n * MiB });
  });

  it('refuses a value the kernel would wrap, before writing anything', () => {
    cg = controller.domain(`wrap-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 100n * MiB }));
    // 2^54 KiB is 2^64 bytes, which the kernel would take as a limit of 0.
    expect(() => cg.tunables(MEMORY).apply(tune({ softLimit: 1n * MiB, hardLimit: 2n ** 54n }))).toThrow(/must be less than/);
    expect(cg.tunables(MEMORY).read()).toEqual({ hardLimit: 100n * MiB, softLimit: UNLIMITED, swapHardLimit: UNLIMITED });
  });

  it('EINVAL mid-transaction restores every file with libvirt\'s text', () => {
    cg = controller.domain(`inval-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 200n * MiB, softLimit: 100n * MiB, swapHardLimit: 300n * MiB }));
    // Bypasses shared validation on purpose: hard 150M is written, then memsw 120M < 150M fails with EINVAL.
    let err: VirError | undefined;
    try {
      cg.tunables(MEMORY).apply(tune({ hardLimit: 150n * MiB, softLimit: 50n * MiB, swapHardLimit: 120n * MiB }));
    } catch (e) {
      err = e as VirError;
    }
    expect(err?.code).toBe(ErrorCode.SYSTEM_ERROR);
    expect(err?.domain).toBe(ErrorDomain.CGROUP);
    expect(err?.errno).toBe('EINVAL');
    expect(err?.message).toBe(`Invalid value '${120n * MiB * 1024n}' for 'memory.memsw.limit_in_bytes': Invalid argument`);
    expect(cg.tunables(MEMORY).read()).toEqual({ hardLimit: 200n * MiB, softLimit: 100n * MiB, swapHardLimit: 300n * MiB });
  });

  it('EBUSY when lowering below usage, with a complete rollback and the process alive', async () => {
    cg = controller.domain(`busy-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 512n * MiB, softLimit: 256n * MiB, swapHardLimit: 768n * MiB }));
    // A process that touches 64 MiB inside the cgroup, says so, then waits on stdin.
    hog = spawn(
      '/bin/sh',
      ['-c', 'echo $$ > "$1"; exec /usr/bin/python3 -c "$2"', 'sh', cg.procsFile,
        "import sys\nb = bytearray(b'x') * (64 << 20)\nprint('ready', flush=True)\nsys.stdin.read()"],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      hog!.stdout!.once('data', () => resolve());
      hog!.once('exit', () => reject(new Error('hog exited early')));
    });
    expect(cg.tunables(MEMORY).usageKiB()).toBeGreaterThan(64n * MiB);
    const before = {
      limit: file('memory.limit_in_bytes'),
      soft: file('memory.soft_limit_in_bytes'),
      memsw: file('memory.memsw.limit_in_bytes'),
    };
    let err: VirError | undefined;
    try {
      cg.tunables(MEMORY).apply(tune({ hardLimit: 16n * MiB, softLimit: 8n * MiB, swapHardLimit: 16n * MiB }));
    } catch (e) {
      err = e as VirError;
    }
    expect(err?.errno).toBe('EBUSY');
    expect(err?.message).toBe(`Unable to write to '${cg.path}/memory.limit_in_bytes': Device or resource busy`);
    expect({
      limit: file('memory.limit_in_bytes'),
      soft: file('memory.soft_limit_in_bytes'),
      memsw: file('memory.memsw.limit_in_bytes'),
    }).toEqual(before);
    expect(hog.exitCode).toBeNull();
    expect(cg.pids()).toEqual([hog.pid]);
  });

  it('rmdir of a populated cgroup is EBUSY, and it removes exactly itself', async () => {
    cg = controller.domain(`rm-${randomBytes(2).toString('hex')}`, 'lxc');
    cg.create();
    const sibling = controller.domain(`rm2-${randomBytes(2).toString('hex')}`, 'lxc');
    sibling.create();
    hog = spawn('/bin/sh', ['-c', 'echo $$ > "$1"; exec cat', 'sh', cg.procsFile], { stdio: ['pipe', 'ignore', 'inherit'] });
    const deadline = Date.now() + 5000;
    while (cg.pids().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    expect(() => cg.remove()).toThrow(/Device or resource busy/);
    sibling.remove();
    expect(sibling.exists()).toBe(false);
    expect(cg.exists()).toBe(true);
  });
});
