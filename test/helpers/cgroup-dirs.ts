import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually.js';

/** The v1 memory hierarchy of this host. */
export const V1_MEMORY_ROOT = '/sys/fs/cgroup/memory';

/** The v1 hierarchies domain cgroups of the LXC and QEMU drivers may span here (memory; cpu, cpuacct, blkio). */
export const V1_DOMAIN_HIERARCHIES = ['memory', 'cpu', 'cpuacct', 'blkio'].map((c) => `/sys/fs/cgroup/${c}`);

/** A test's cgroup parent in every hierarchy a driver's domain cgroups may span. */
export function parentDirs(parent: string): string[] {
  return V1_DOMAIN_HIERARCHIES.map((root) => join(root, parent));
}

/** The pids of a cgroup directory (none when it does not exist). */
export function cgroupPids(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
}

/**
 * Removes a cgroup directory a test made, first its child cgroups, killing whatever still runs in them (the
 * directory is the test's own, so everything in it is too). rmdir answers EBUSY while the kernel is still
 * uncharging a killed process, so each removal is retried until `timeoutMs`.
 */
export async function removeCgroupDir(dir: string, timeoutMs = 10_000): Promise<void> {
  if (!existsSync(dir)) return;
  for (const child of readdirSync(dir, { withFileTypes: true })) {
    if (child.isDirectory()) await removeCgroupDir(join(dir, child.name), timeoutMs);
  }
  let lastError: unknown;
  const removeOnce = (): true | undefined => {
    for (const pid of cgroupPids(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    try {
      rmdirSync(dir);
      return true;
    } catch (e) {
      lastError = e;
      return undefined;
    }
  };
  await eventually(removeOnce, timeoutMs, `cgroup ${dir} to be removed`).catch((e: unknown) => {
    throw lastError ?? e;
  });
}
