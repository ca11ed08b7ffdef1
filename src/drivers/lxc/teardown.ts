import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { isSameProcess } from '../common/process-identity.js';

/** Polls `done` every few milliseconds until it holds or `timeoutMs` passes; returns whether it held. */
export async function pollUntil(done: () => boolean, timeoutMs: number, intervalMs = 5): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * Kills everything in the container's cgroup (all of it is the container's: the cgroup is unique to the
 * domain) and its supervisor, waits until they are gone and removes the cgroup directory.
 */
export async function killAndRemove(
  cgroup: DomainCgroup,
  pid: number,
  pidStartTime: string,
  timeoutMs = 10_000,
): Promise<void> {
  if (isSameProcess(pid, pidStartTime)) signal(pid, 'SIGKILL');
  const gone = await pollUntil(() => {
    const pids = cgroup.pids();
    for (const p of pids) signal(p, 'SIGKILL');
    return pids.length === 0 && !isSameProcess(pid, pidStartTime);
  }, timeoutMs);
  if (!gone) {
    throw new VirError(
      ErrorCode.OPERATION_TIMEOUT,
      ErrorDomain.LXC,
      `processes of cgroup '${cgroup.path}' did not exit within ${timeoutMs} ms`,
    );
  }
  // The kernel may still be tearing down the last task's memory; rmdir says EBUSY until then.
  let lastError: unknown;
  const removed = await pollUntil(() => {
    try {
      cgroup.remove();
      return true;
    } catch (e) {
      lastError = e;
      return false;
    }
  }, timeoutMs);
  if (!removed) throw lastError;
}
