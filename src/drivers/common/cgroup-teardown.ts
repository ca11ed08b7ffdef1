import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { errnoOf } from '../../cgroup/system-error.js';
import { VirError } from '../../errors.js';
import { pollUntil } from './poll.js';

/** Sends SIGKILL to each pid, ignoring the ones that are gone already. */
export function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
}

/**
 * Kills whatever is left in a domain's cgroup (all of it is the domain's: the cgroup is unique to it) and
 * removes the cgroup once the kernel lets go of it: rmdir says EBUSY while the last task's memory is still
 * being torn down. Any other error is thrown at once; EBUSY past `timeoutMs` is thrown then.
 */
export async function emptyAndRemoveCgroup(cgroup: DomainCgroup, timeoutMs: number): Promise<void> {
  let lastError: unknown;
  const removed = await pollUntil(() => {
    killPids(cgroup.pids());
    try {
      cgroup.remove();
      return true;
    } catch (e) {
      if ((e instanceof VirError ? e.errno : errnoOf(e)) !== 'EBUSY') throw e;
      lastError = e;
      return false;
    }
  }, timeoutMs);
  if (!removed) throw lastError;
}
