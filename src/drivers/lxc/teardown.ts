import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { emptyAndRemoveCgroup, killPids } from '../common/cgroup-teardown.js';
import { pollUntil } from '../common/poll.js';
import { isSameProcess } from '../common/process-identity.js';

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
  if (isSameProcess(pid, pidStartTime)) killPids([pid]);
  const gone = await pollUntil(() => {
    const pids = cgroup.pids();
    killPids(pids);
    return pids.length === 0 && !isSameProcess(pid, pidStartTime);
  }, timeoutMs);
  if (!gone) {
    throw new VirError(
      ErrorCode.OPERATION_TIMEOUT,
      ErrorDomain.LXC,
      `processes of cgroup '${cgroup.path}' did not exit within ${timeoutMs} ms`,
    );
  }
  await emptyAndRemoveCgroup(cgroup, timeoutMs);
}
