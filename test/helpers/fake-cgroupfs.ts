import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { realCgroupFs, type CgroupFileSystem } from '../../src/cgroup/cgroup-fs.js';

/** The files a fresh cgroup v2 directory holds, with the kernel's defaults. */
const V2_FILES: Record<string, string> = {
  'cgroup.procs': '',
  'cgroup.controllers': 'cpu io memory pids',
  'cgroup.subtree_control': '',
  'cgroup.type': 'domain',
  'cgroup.threads': '',
  'memory.max': 'max',
  'memory.high': 'max',
  'memory.min': '0',
  'memory.low': '0',
  'memory.swap.max': 'max',
  'memory.swap.high': 'max',
  'memory.current': '0',
  'memory.events': 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n',
  'cpu.weight': '100',
  'cpu.max': 'max 100000',
  'cpu.stat': 'usage_usec 0\nuser_usec 0\nsystem_usec 0',
  'io.max': '',
  'io.bfq.weight': 'default 100',
};

const IO_MAX_KEYS = ['rbps', 'wbps', 'riops', 'wiops'];

/**
 * The kernel's per-device files keep one line per device: io.max merges `MAJ:MIN key=value` into the device's
 * line (dropped when all four are `max`); a weight file takes `default N`/`N` for the cgroup and `MAJ:MIN N`
 * (`MAJ:MIN default` drops it) for a device.
 */
function perDeviceWrite(file: string, old: string, value: string): string | undefined {
  const lines = old.split('\n').filter(Boolean);
  const m = /^(\d+:\d+) (.*)$/.exec(value.trim());
  if (file === 'io.max') {
    if (!m) throw errnoError('EINVAL');
    const prev = lines.find((l) => l.startsWith(`${m[1]} `));
    const kv = new Map(IO_MAX_KEYS.map((k) => [k, 'max']));
    for (const pair of (prev?.slice(m[1]!.length + 1) ?? '').split(' ').concat(m[2]!.split(' '))) {
      const [k, v] = pair.split('=');
      if (k === undefined || v === undefined) continue;
      if (!kv.has(k) || !/^(max|\d+)$/.test(v)) throw errnoError('EINVAL');
      kv.set(k, v);
    }
    const rest = lines.filter((l) => l !== prev);
    if ([...kv.values()].some((v) => v !== 'max')) rest.push(`${m[1]} ${IO_MAX_KEYS.map((k) => `${k}=${kv.get(k)}`).join(' ')}`);
    return rest.sort().join('\n');
  }
  if (file === 'io.bfq.weight' || file === 'io.weight') {
    if (m) {
      const rest = lines.filter((l) => !l.startsWith(`${m[1]} `));
      if (m[2] !== 'default') rest.push(`${m[1]} ${m[2]}`);
      return rest.sort((a, b) => (a.startsWith('default ') ? -1 : b.startsWith('default ') ? 1 : a < b ? -1 : 1)).join('\n');
    }
    const n = /^(?:default )?(\d+)$/.exec(value.trim());
    if (!n) throw errnoError('EINVAL');
    return [`default ${n[1]}`, ...lines.filter((l) => !l.startsWith('default '))].join('\n');
  }
  return undefined;
}

/** Writes a fresh v2 cgroup's files into `dir`. */
export function populateV2(dir: string): void {
  for (const [name, value] of Object.entries(V2_FILES)) fs.writeFileSync(`${dir}/${name}`, `${value}\n`);
}

/** A fake cgroup v2 hierarchy: its root directory and the file system that plays the kernel on it. */
export interface FakeV2Tree {
  root: string;
  fs: FakeCgroupFs;
}

/**
 * Builds a fresh cgroup v2 root (the files a kernel shows there) in a uniquely named temp dir, `label` naming it
 * so a leftover says which test made it; the caller removes it with {@link removeFakeV2Tree}.
 */
export function makeFakeV2Tree(label: string): FakeV2Tree {
  const root = fs.mkdtempSync(`${tmpdir()}/virtune-${label}-${process.pid}-`);
  populateV2(root);
  return { root, fs: new FakeCgroupFs() };
}

/** Removes the root of a tree {@link makeFakeV2Tree} built, with everything the test made under it. */
export function removeFakeV2Tree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** A Node-style system error. */
export function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** A fault to inject: fail the write to a file whose name ends with `file`, optionally only for `value`. */
export interface Fault {
  file: string;
  errno: string;
  value?: string;
}

/**
 * Fault injection over any {@link CgroupFileSystem} (a fake tree, a guest kernel's files): writes matching a fault
 * fail with its errno instead of happening, files named in {@link missing} are reported absent, and every write
 * that happens is logged.
 */
export class FaultyCgroupFs implements CgroupFileSystem {
  faults: Fault[] = [];
  /** File names (`memory.swap.high`) to report as missing in any directory: no such file to read or write. */
  missing: string[] = [];
  readonly writes: { path: string; value: string }[] = [];

  constructor(readonly base: CgroupFileSystem) {}

  #isMissing(path: string): boolean {
    return this.missing.some((name) => path.endsWith(`/${name}`));
  }

  readFile(path: string): string {
    if (this.#isMissing(path)) throw errnoError('ENOENT');
    return this.base.readFile(path);
  }
  writeFile(path: string, value: string): void {
    const fault = this.faults.find((f) => path.endsWith(`/${f.file}`) && (f.value === undefined || f.value === value));
    if (fault) throw errnoError(fault.errno);
    if (this.#isMissing(path)) throw errnoError('ENOENT');
    this.base.writeFile(path, value);
    this.writes.push({ path, value });
  }
  mkdir(path: string): void {
    this.base.mkdir(path);
  }
  rmdir(path: string): void {
    this.base.rmdir(path);
  }
  exists(path: string): boolean {
    return !this.#isMissing(path) && this.base.exists(path);
  }
  subdirs(path: string): string[] {
    return this.base.subdirs(path);
  }
}

/** What the kernel does that a plain directory does not: v2 files on mkdir, subtree_control and per-device merging. */
const fakeTreeFs: CgroupFileSystem = {
  readFile: (path) => realCgroupFs.readFile(path),
  writeFile(path, value) {
    // Never create a file (cgroupfs has a fixed set); a cgroup file holds only the last value written.
    if (!fs.existsSync(path)) throw errnoError('ENOENT');
    const file = path.slice(path.lastIndexOf('/') + 1);
    const perDevice = perDeviceWrite(file, fs.readFileSync(path, 'utf8'), value);
    if (file === 'cgroup.subtree_control') {
      // The kernel takes `+ctrl -ctrl` tokens and shows the resulting list.
      const set = new Set(fs.readFileSync(path, 'utf8').split(/\s+/).filter(Boolean));
      for (const tok of value.split(/\s+/).filter(Boolean)) {
        if (tok.startsWith('+')) set.add(tok.slice(1));
        else if (tok.startsWith('-')) set.delete(tok.slice(1));
        else throw errnoError('EINVAL');
      }
      fs.writeFileSync(path, `${[...set].join(' ')}\n`);
    } else if (perDevice !== undefined) {
      fs.writeFileSync(path, `${perDevice}\n`);
    } else {
      fs.writeFileSync(path, `${value}\n`);
    }
  },
  mkdir(path) {
    realCgroupFs.mkdir(path);
    populateV2(path);
  },
  rmdir(path) {
    // The kernel removes a cgroup with its interface files; a plain directory needs them removed first.
    for (const f of fs.readdirSync(path)) {
      if (fs.statSync(`${path}/${f}`).isDirectory()) throw errnoError('EBUSY');
    }
    if (fs.readFileSync(`${path}/cgroup.procs`, 'utf8').trim() !== '') throw errnoError('EBUSY');
    fs.rmSync(path, { recursive: true });
  },
  exists: (path) => realCgroupFs.exists(path),
  subdirs: (path) => realCgroupFs.subdirs(path),
};

/**
 * A cgroupfs-like tree on a real directory: mkdir populates v2 files (as the kernel would), and writes matching
 * a fault fail with its errno instead of happening. Every write is logged.
 */
export class FakeCgroupFs extends FaultyCgroupFs {
  constructor() {
    super(fakeTreeFs);
  }
}

/** A snapshot of every file under `dir` (relative path → content). */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = `${entry.parentPath}/${entry.name}`;
    out[full.slice(dir.length)] = fs.readFileSync(full, 'utf8');
  }
  return out;
}
