import { accessSync, constants } from 'node:fs';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { spawnInCgroup, type SpawnedInCgroup } from '../common/spawn-in-cgroup.js';

/** A started container's supervisor process (`unshare`), the container's init being its only child. */
export type StartedContainer = SpawnedInCgroup;

/**
 * Starts the container's init (`<os><init>` with its `<initarg>`s) in new pid, mount, uts, ipc and net
 * namespaces, inside `cgroup`, detached so it outlives this process. Resolves once the supervisor is in the
 * cgroup; rejects (with the log's last lines) if it dies before.
 */
export async function spawnContainer(def: DomainDef, cgroup: DomainCgroup, logPath: string, timeoutMs = 10_000): Promise<StartedContainer> {
  const init = def.os.init ?? '/sbin/init';
  try {
    accessSync(init, constants.X_OK);
  } catch {
    throw new VirError(ErrorCode.OPERATION_FAILED, ErrorDomain.LXC, `cannot run init '${init}' of domain '${def.name}': not an executable file`);
  }
  return spawnInCgroup({
    argv: ['unshare', '--fork', '--kill-child', '--pid', '--mount', '--uts', '--ipc', '--net', '--mount-proc', '--', init, ...def.os.initargs],
    cgroup,
    logPath,
    name: def.name,
    errorDomain: ErrorDomain.LXC,
    env: { container: 'virtune-lxc', VIRTUNE_LXC_NAME: def.name, VIRTUNE_LXC_UUID: def.uuid },
    timeoutMs,
  });
}
