import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { pollUntil } from '../common/poll.js';
import { processStartTime } from '../common/process-identity.js';

/** A started container's supervisor process (`unshare`), the container's init being its only child. */
export interface StartedContainer {
  pid: number;
  pidStartTime: string;
  child: ChildProcess;
}

// The shell joins the cgroup first (every hierarchy it spans: $1 is how many procs files follow), so everything
// the container ever forks is accounted there, then becomes unshare. Paths and arguments travel as positional
// parameters, never inside the script text.
const ENTER_AND_EXEC =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; ' +
  'exec unshare --fork --kill-child --pid --mount --uts --ipc --net --mount-proc -- "$@"';

function failed(text: string): VirError {
  return new VirError(ErrorCode.OPERATION_FAILED, ErrorDomain.LXC, text);
}

/** The last lines of the container's log, for error messages. */
function logTail(logPath: string): string {
  try {
    const lines = readFileSync(logPath, 'utf8').trim().split('\n');
    return lines.slice(-3).join(' | ');
  } catch {
    return '';
  }
}

/**
 * Starts the container's init (`<os><init>` with its `<initarg>`s) in new pid, mount, uts, ipc and net
 * namespaces, inside `cgroup`, detached so it outlives this process. Resolves once the supervisor is in the
 * cgroup; rejects (with the log's last lines) if it dies before.
 */
export async function spawnContainer(
  def: DomainDef,
  cgroup: DomainCgroup,
  logPath: string,
  timeoutMs = 10_000,
): Promise<StartedContainer> {
  const init = def.os.init ?? '/sbin/init';
  try {
    accessSync(init, constants.X_OK);
  } catch {
    throw failed(`cannot run init '${init}' of domain '${def.name}': not an executable file`);
  }
  const log = openSync(logPath, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', ENTER_AND_EXEC, 'sh', String(cgroup.procsFiles.length), ...cgroup.procsFiles, init, ...def.os.initargs], {
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        container: 'virtune-lxc',
        VIRTUNE_LXC_NAME: def.name,
        VIRTUNE_LXC_UUID: def.uuid,
      },
    });
  } finally {
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw failed(`cannot start domain '${def.name}': spawn failed`);
  }
  child.unref();
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  const joined = await pollUntil(
    () => {
      if (exited) {
        throw failed(
          `domain '${def.name}' exited while starting (${exited.signal ?? `status ${exited.code}`})${logTail(logPath) ? `: ${logTail(logPath)}` : ''}`,
        );
      }
      return cgroup.pids().includes(pid);
    },
    timeoutMs,
    { firstMs: 2, maxMs: 2 },
  );
  if (!joined) {
    process.kill(pid, 'SIGKILL');
    throw failed(`domain '${def.name}' did not join its cgroup within ${timeoutMs} ms`);
  }
  const pidStartTime = processStartTime(pid);
  if (pidStartTime === undefined) {
    throw failed(`domain '${def.name}' exited while starting${logTail(logPath) ? `: ${logTail(logPath)}` : ''}`);
  }
  return { pid, pidStartTime, child };
}
