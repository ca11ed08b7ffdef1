import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Prerequisites of the tests that use real parts. Locally a missing one skips the suite that needs it;
 * under CI=true it is a failure, never a silent skip.
 */
export type Prereq = 'python3' | 'root' | 'cgroup-v1-memory' | 'qemu' | 'virsh' | 'python-libvirt' | 'unshare' | 'virt-xml-validate';

const checks: Record<Prereq, () => boolean> = {
  python3: () => existsSync('/usr/bin/python3'),
  root: () => process.getuid?.() === 0,
  'cgroup-v1-memory': () => existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes'),
  qemu: () => has('qemu-system-x86_64', ['--version']),
  virsh: () => has('virsh', ['--version']),
  'python-libvirt': () => has('/usr/bin/python3', ['-c', 'import libvirt']),
  unshare: () => has('unshare', ['--version']),
  'virt-xml-validate': () => existsSync('/usr/bin/virt-xml-validate'),
};

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
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
  const missing = missingPrereqs(...needs);
  if (missing.length === 0) return false;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and prerequisites are missing: ${missing.join(', ')}`);
  }
  console.warn(`skipping: missing ${missing.join(', ')}`);
  return true;
}
