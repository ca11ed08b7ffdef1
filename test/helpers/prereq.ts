import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Prerequisites of the tests that use real parts. Locally a missing one skips the suite that needs it;
 * under CI=true it is a failure, never a silent skip.
 *
 * Each check runs the tool and makes it do a small piece of the real work, rather than looking for a file: a
 * `virt-xml-validate` whose `xmllint` is missing exists but cannot validate anything, and only running it shows
 * that. The programs behind these checks are listed, with their Debian packages, in ./external-programs.ts.
 */
export type Prereq =
  | 'python3'
  | 'root'
  | 'cgroup-v1-memory'
  | 'cgroup-v1-pids'
  | 'cgroup-v1-cpu'
  | 'cgroup-v1-cpuacct'
  | 'cgroup-v1-blkio'
  | 'loop-device'
  | 'qemu'
  | 'virsh'
  | 'python-libvirt'
  | 'unshare'
  | 'virt-xml-validate'
  | 'dpkg'
  | 'libvirtd'
  | 'wbemcli'
  | 'sshd';

const MEMORY_CGROUP_ROOT = '/sys/fs/cgroup/memory';

/** A tiny domain that libvirt's schema accepts: validating it needs virt-xml-validate *and* xmllint. */
const TINY_DOMAIN = "<domain type='test'><name>prereq</name><memory>1024</memory><os><type>hvm</type></os></domain>\n";

const checks: Record<Prereq, () => boolean> = {
  python3: () => runs('/usr/bin/python3', ['-c', 'pass']),
  root: () => process.getuid?.() === 0,
  'cgroup-v1-memory': memoryCgroupWritable,
  'cgroup-v1-pids': () => v1ControllerWritable('/sys/fs/cgroup/pids', 'pids.max', '64'),
  'cgroup-v1-cpu': () => v1ControllerWritable('/sys/fs/cgroup/cpu', 'cpu.cfs_quota_us', '50000'),
  'cgroup-v1-cpuacct': () => v1ControllerWritable('/sys/fs/cgroup/cpuacct', 'cpuacct.usage', '0'),
  'cgroup-v1-blkio': () => v1ControllerWritable('/sys/fs/cgroup/blkio', 'blkio.bfq.weight', '300'),
  'loop-device': loopDeviceWorks,
  qemu: () => runs('qemu-system-x86_64', ['-machine', 'help']),
  virsh: () => prints('virsh', ['-c', 'test:///default', 'domstate', 'test'], /running/),
  'python-libvirt': () =>
    runs('/usr/bin/python3', ['-c', "import libvirt; libvirt.open('test:///default').lookupByName('test')"]),
  unshare: () => runs('unshare', ['--fork', '--pid', '--mount', '--uts', '--ipc', '--net', '--mount-proc', 'true']),
  'virt-xml-validate': validatesTinyDomain,
  dpkg: () => prints('dpkg-query', ['-W', '-f=${Status}', 'dpkg'], /install ok installed/),
  libvirtd: () => prints('/usr/sbin/libvirtd', ['--version'], /libvirtd \(libvirt\)/),
  // The CIM client: an HTTP request to a port nothing listens on must get as far as the connection attempt.
  wbemcli: () => printsOnStderr('wbemcli', ['ei', 'http://127.0.0.1:1/root/virt:X'], /Couldn't connect to server/),
  // sshd itself, and ssh and nc for the channel (the test starts its own sshd from a temp directory).
  sshd: () => runs('/usr/sbin/sshd', ['-V']) && runs('ssh', ['-V']) && runs('nc', ['-h']),
};

function runs(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 20_000, env });
    return true;
  } catch {
    return false;
  }
}

/** Whether `cmd` (which may fail) writes `expected` on stderr. */
function printsOnStderr(cmd: string, args: string[], expected: RegExp): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
  return typeof r.stderr === 'string' && expected.test(r.stderr);
}

function prints(cmd: string, args: string[], expected: RegExp): boolean {
  try {
    return expected.test(execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }));
  } catch {
    return false;
  }
}

/**
 * The `virt-xml-validate` check: validates a tiny domain document. Exported so that a test can show it fails when
 * the tool is there but `xmllint` is not (`path` replaces PATH).
 */
export function validatesTinyDomain(path = process.env.PATH): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'virtune-prereq-'));
  try {
    const file = join(dir, 'domain.xml');
    writeFileSync(file, TINY_DOMAIN);
    return runs('/usr/bin/virt-xml-validate', [file, 'domain'], { ...process.env, PATH: path });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Creates a uniquely named memory cgroup, sets and reads back a limit, and removes exactly that cgroup. */
function memoryCgroupWritable(): boolean {
  return v1ControllerWritable(MEMORY_CGROUP_ROOT, 'memory.limit_in_bytes', '1073741824');
}

/** Whether a new cgroup in the v1 hierarchy at `root` takes `value` in its `file`. */
function v1ControllerWritable(root: string, file: string, value: string): boolean {
  const cg = join(root, `virtune-prereq-${process.pid}-${Date.now().toString(36)}`);
  try {
    mkdirSync(cg);
  } catch {
    return false;
  }
  try {
    writeFileSync(join(cg, file), value);
    return readFileSync(join(cg, file), 'utf8').trim() === value;
  } catch {
    return false;
  } finally {
    try {
      rmdirSync(cg);
    } catch {
      // An empty cgroup always goes; nothing else of ours is in it.
    }
  }
}

/** Whether a loop device can be attached to a small file and detached again (losetup, /dev/loop-control). */
function loopDeviceWorks(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'virtune-prereq-loop-'));
  try {
    const file = join(dir, 'disk');
    writeFileSync(file, Buffer.alloc(1 << 20));
    const dev = execFileSync('losetup', ['--find', '--show', file], { encoding: 'utf8', timeout: 20_000 }).trim();
    execFileSync('losetup', ['--detach', dev], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cache = new Map<Prereq, boolean>();

/** The prerequisites among `needs` that this machine lacks. */
export function missingPrereqs(...needs: Prereq[]): Prereq[] {
  return needs.filter((n) => {
    if (!cache.has(n)) cache.set(n, checks[n]());
    return !cache.get(n);
  });
}

/**
 * Use as `describe.skipIf(skipUnless('root', 'qemu'))(...)`. Returns true (skip) when something is missing
 * outside CI; under CI=true it throws, so the run fails loudly.
 */
export function skipUnless(...needs: Prereq[]): boolean {
  return skipForMissing(missingPrereqs(...needs), process.env.CI === 'true');
}

/** The decision behind {@link skipUnless}, apart from the machine: skip with a message, or fail under CI. */
export function skipForMissing(missing: readonly string[], ci: boolean, warn: (line: string) => void = console.warn): boolean {
  if (missing.length === 0) return false;
  if (ci) throw new Error(`CI=true and prerequisites are missing: ${missing.join(', ')}`);
  warn(`skipping: missing ${missing.join(', ')}`);
  return true;
}
