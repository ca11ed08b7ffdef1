/**
 * The cgroup v2 memory backend against a real kernel's cgroup2 files: one QEMU TCG guest (the cooperating test
 * guest's Debian kernel, booted with cgroup2 as its only hierarchy) serves its /sys/fs/cgroup to GuestCgroupFs, and
 * the backend's cases (./v2-memory-cases.ts, also run on a fake tree) run through it, each in a fresh cgroup. Then
 * what only a kernel does: enforce, refuse, round.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { MEMORY } from '../../src/cgroup/controllers.js';
import { parseMountinfo, v2Controllers } from '../../src/cgroup/detect.js';
import { runCgroupTransaction } from '../../src/cgroup/transaction.js';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { bootCgroup2Guest, type Cgroup2Guest } from '../fixtures/guest/cgroup2-guest.js';
import { eventually } from '../helpers/eventually.js';
import { FaultyCgroupFs } from '../helpers/fake-cgroupfs.js';
import { skipUnless } from '../helpers/prereq.js';
import { caught, tune, v2MemoryCases, type V2Tree } from './v2-memory-cases.js';

const MiB = 1024n;
/** The files the backend may write in a cgroup: what a case compares before and after. */
const MANAGED = ['cgroup.subtree_control', 'memory.max', 'memory.high', 'memory.min', 'memory.low', 'memory.swap.max', 'memory.swap.high'];

describe.skipIf(skipUnless('root', 'qemu'))('cgroup v2 backend on a real kernel (a QEMU guest with cgroup2 only)', { timeout: 180_000 }, () => {
  let dir: string;
  let guest: Cgroup2Guest;
  let cases = 0;
  let tree: V2Tree;
  /** Processes a case started in the guest: killed after it, before its cgroups go. */
  const started: number[] = [];

  /** Removes a cgroup and everything under it, deepest first. */
  const removeTree = (path: string): void => {
    if (!guest.fs.exists(path)) return;
    for (const child of guest.fs.subdirs(path)) removeTree(`${path}/${child}`);
    guest.fs.rmdir(path);
  };
  const start = (cgroupDir: string, command: string): number => {
    const pid = guest.fs.start(cgroupDir, command);
    started.push(pid);
    return pid;
  };

  beforeAll(async () => {
    dir = mkdtempSync(`${tmpdir()}/virtune-cgv2-guest-${process.pid}-`);
    guest = await bootCgroup2Guest(dir);
  }, 15 * 60_000);
  afterAll(async () => {
    await guest?.stop();
    if (guest) console.info(`cgroup2 guest: kernel ${guest.kernelRelease}, booted in ${guest.bootMs} ms, ${guest.fs.requests} requests`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    const root = `${guest.root}/virtune-case-${++cases}`;
    guest.fs.mkdir(root);
    const fs = new FaultyCgroupFs(guest.fs);
    tree = {
      root,
      fs,
      read: (d, file) => guest.fs.readFile(`${d}/${file}`).trim(),
      write: (d, file, value) => guest.fs.writeFile(`${d}/${file}`, value),
      snapshot() {
        const out: Record<string, string> = {};
        const walk = (d: string): void => {
          // Every cgroup below the mount has each of these (the mount gives its children the memory controller).
          for (const file of MANAGED) out[`${d.slice(root.length)}/${file}`] = guest.fs.readFile(`${d}/${file}`);
          for (const child of guest.fs.subdirs(d)) walk(`${d}/${child}`);
        };
        walk(root);
        return out;
      },
      // The kernel's files cannot be deleted: the fault layer reports it missing instead.
      hide: (_d, file) => void fs.missing.push(file),
      // 4 KiB pages (x86-64).
      kept: (kib) => (kib / 4n) * 4n,
    };
  });
  afterEach(() => {
    for (const pid of started.splice(0)) guest.fs.kill(pid);
    removeTree(tree.root);
  });

  v2MemoryCases(() => tree, { propertyRuns: 15 });

  it('is a cgroup2-only kernel with the memory controller, as mountinfo and the root say', () => {
    const layout = parseMountinfo(guest.fs.readFile('/proc/self/mountinfo'));
    expect(layout).toEqual({ mode: 'v2', v1: {}, unified: '/sys/fs/cgroup' });
    expect(v2Controllers(guest.fs, guest.root)).toContain('memory');
    expect(guest.kernelRelease).toMatch(/^\d+\.\d+\.\d+-\d+-cloud-amd64$/);
  });

  it('works at the mount itself, whose root cgroup has no memory.max', () => {
    const parent = `virtune-top-${cases}`;
    const c = HostCgroups.open({ root: guest.root, fs: guest.fs, parent })!;
    const cg = c.domain('web', 'lxc');
    try {
      cg.create();
      expect(cg.path).toBe(`/sys/fs/cgroup/${parent}/web.virtune-lxc`);
      expect(guest.fs.exists(`${guest.root}/memory.max`)).toBe(false);
      expect(c.parentLimitKiB()).toBe(UNLIMITED);
      guest.fs.writeFile(`${guest.root}/${parent}/memory.max`, String(64n * MiB * 1024n));
      expect(c.parentLimitKiB()).toBe(64n * MiB);
      cg.tunables(MEMORY).apply(tune({ hardLimit: 32n * MiB, swapHardLimit: 48n * MiB }));
      expect(cg.tunables(MEMORY).read()).toMatchObject({ hardLimit: 32n * MiB, swapHardLimit: 48n * MiB });
      cg.remove();
      expect(cg.exists()).toBe(false);
    } finally {
      removeTree(`${guest.root}/${parent}`);
    }
  });

  it("a value the kernel refuses (EINVAL) fails with libvirt's text and undoes the writes before it", () => {
    const cg = HostCgroups.open({ root: tree.root, fs: tree.fs })!.domain('web', 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ softLimit: 16n * MiB }));
    const before = tree.snapshot();
    // The backend never writes -1 (it writes `max`); libvirt's v1 habit is what the kernel refuses here.
    const err = caught(() =>
      runCgroupTransaction(tree.fs, [
        { path: `${cg.path}/memory.high`, value: String(8n * MiB * 1024n) },
        { path: `${cg.path}/memory.max`, value: '-1' },
      ]),
    );
    expect(err).toBeInstanceOf(VirError);
    expect(err!.code).toBe(ErrorCode.SYSTEM_ERROR);
    expect(err!.domain).toBe(ErrorDomain.CGROUP);
    expect(err!.errno).toBe('EINVAL');
    expect(err!.message).toBe("Invalid value '-1' for 'memory.max': Invalid argument");
    expect(tree.snapshot()).toEqual(before);
  });

  it('rounds limits down to a page, and takes a limit past the largest as no limit', () => {
    const cg = HostCgroups.open({ root: tree.root, fs: tree.fs })!.domain('web', 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 1023n, softLimit: 5n, minGuarantee: UNLIMITED }));
    expect(tree.read(cg.path, 'memory.max')).toBe(String(1020 * 1024));
    expect(tree.read(cg.path, 'memory.min')).toBe('max');
    expect(cg.tunables(MEMORY).read()).toMatchObject({ hardLimit: 1020n, softLimit: 4n, minGuarantee: UNLIMITED });
    // The largest value below UNLIMITED is beyond the kernel's page counter: it keeps (and shows) `max`.
    cg.tunables(MEMORY).apply(tune({ hardLimit: UNLIMITED - 1n }));
    expect(tree.read(cg.path, 'memory.max')).toBe('max');
    expect(cg.tunables(MEMORY).read().hardLimit).toBe(UNLIMITED);
  });

  it('enforces hard_limit: a process allocating past it is OOM-killed, and oomKills counts it', async () => {
    const cg = HostCgroups.open({ root: tree.root, fs: tree.fs })!.domain('hog', 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 16n * MiB, swapHardLimit: 16n * MiB }));
    expect(cg.tunables(MEMORY).oomKills()).toBe(0);
    // busybox dd allocates its 64 MiB block and fills it from /dev/zero.
    start(cg.path, 'exec dd if=/dev/zero of=/dev/null bs=64M count=1');
    await eventually(() => (cg.tunables(MEMORY).oomKills() >= 1 && cg.pids().length === 0 ? true : undefined), 60_000, 'the OOM kill');
    expect(cg.tunables(MEMORY).oomKills()).toBe(1);
    expect(cg.tunables(MEMORY).usageKiB()).toBeLessThanOrEqual(16n * MiB);
  });

  it('lowering hard_limit below usage succeeds and OOM-kills (where v1 refuses with EBUSY)', async () => {
    const cg = HostCgroups.open({ root: tree.root, fs: tree.fs })!.domain('busy', 'lxc');
    cg.create();
    cg.tunables(MEMORY).apply(tune({ hardLimit: 96n * MiB }));
    // awk builds a 24 MB string, then blocks opening a FIFO nobody writes: 24 MB held, no CPU used.
    start(cg.path, `mkfifo /tmp/hold$$ && exec awk 'BEGIN { s = sprintf("%24000000s", "x"); getline l < "/tmp/hold'$$'" }'`);
    await eventually(() => (cg.tunables(MEMORY).usageKiB() > 20n * MiB ? true : undefined), 60_000, 'the hog to hold 20 MiB');
    cg.tunables(MEMORY).apply(tune({ hardLimit: 8n * MiB }));
    expect(cg.tunables(MEMORY).read().hardLimit).toBe(8n * MiB);
    await eventually(() => (cg.pids().length === 0 ? true : undefined), 60_000, 'the hog to be killed');
    expect(cg.tunables(MEMORY).oomKills()).toBeGreaterThanOrEqual(1);
  });

  it('refuses to remove a cgroup holding a process (EBUSY) and removes exactly the others', async () => {
    const c = HostCgroups.open({ root: tree.root, fs: tree.fs })!;
    const busy = c.domain('busy', 'lxc');
    const idle = c.domain('idle', 'lxc');
    busy.create();
    idle.create();
    const pid = start(busy.path, 'exec sleep 1000');
    await eventually(() => (busy.pids().includes(pid) ? true : undefined), 30_000, 'the sleeper to join');
    const err = caught(() => busy.remove());
    expect(err?.errno).toBe('EBUSY');
    expect(err?.message).toBe(`Unable to remove cgroup '${busy.path}': Device or resource busy`);
    idle.remove();
    expect([busy.exists(), idle.exists()]).toEqual([true, false]);
    guest.fs.kill(pid);
    busy.remove();
    expect(busy.exists()).toBe(false);
  });

  it('cannot give the memory controller below a cgroup that holds processes (EBUSY), and creates nothing', async () => {
    const c = HostCgroups.open({ root: tree.root, fs: tree.fs })!;
    // The parent holds a process itself: v2 gives controllers to children only of cgroups without processes.
    guest.fs.mkdir(`${tree.root}/machine`);
    const pid = start(`${tree.root}/machine`, 'exec sleep 1000');
    await eventually(() => (guest.fs.readFile(`${tree.root}/machine/cgroup.procs`).includes(String(pid)) ? true : undefined), 30_000, 'the sleeper');
    const cg = c.domain('web', 'lxc');
    const err = caught(() => cg.create());
    expect(err?.errno).toBe('EBUSY');
    expect(err?.message).toBe(`Unable to write to '${tree.root}/machine/cgroup.subtree_control': Device or resource busy`);
    expect(cg.exists()).toBe(false);
  });
});
