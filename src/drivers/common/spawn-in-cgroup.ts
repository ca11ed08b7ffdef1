import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, VirError, type ErrorDomain } from '../../errors.js';
import { pollUntil } from './poll.js';
import { processStartTime } from './process-identity.js';

/** A process started inside a domain cgroup, detached so it outlives this process. */
export interface SpawnedInCgroup {
  pid: number;
  pidStartTime: string;
  child: ChildProcess;
}

/** What {@link spawnInCgroup} runs, and for which domain. */
export interface SpawnInCgroupOptions {
  /** The program and its arguments (looked up in PATH). */
  argv: readonly string[];
  cgroup: DomainCgroup;
  /** stdout and stderr go here (appended). */
  logPath: string;
  /** The domain's name, for error messages. */
  name: string;
  errorDomain: ErrorDomain;
  /** The whole environment of the process (PATH is added when absent). */
  env?: Record<string, string>;
  /** How long it may take to join the cgroup, ms. */
  timeoutMs?: number;
}

// The shell joins the cgroup first (every hierarchy it spans: $1 is how many procs files follow), so everything
// the process ever forks is accounted there, then execs the program. Paths and arguments travel as positional
// parameters, never inside the script text.
const ENTER_AND_EXEC = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The last lines of a log, for error messages. */
function logTail(logPath: string): string {
  try {
    return readFileSync(logPath, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '';
  }
}

/**
 * Starts `argv` inside `cgroup` (it joins every hierarchy the cgroup spans before it execs, so its first
 * allocation is already charged there), detached. Resolves once it is in the cgroup; rejects with
 * OPERATION_FAILED (and the log's last lines) if it dies before.
 */
export async function spawnInCgroup(options: SpawnInCgroupOptions): Promise<SpawnedInCgroup> {
  const { argv, cgroup, logPath, name, errorDomain, timeoutMs = 10_000 } = options;
  const failed = (text: string): VirError => {
    const tail = logTail(logPath);
    return new VirError(ErrorCode.OPERATION_FAILED, errorDomain, tail ? `${text}: ${tail}` : text);
  };
  const log = openSync(logPath, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', ENTER_AND_EXEC, 'sh', String(cgroup.procsFiles.length), ...cgroup.procsFiles, ...argv], {
      detached: true,
      stdio: ['ignore', log, log],
      env: { PATH: DEFAULT_PATH, ...options.env },
    });
  } finally {
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new VirError(ErrorCode.OPERATION_FAILED, errorDomain, `cannot start domain '${name}': spawn failed`);
  }
  child.unref();
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  const joined = await pollUntil(
    () => {
      if (exited) throw failed(`domain '${name}' exited while starting (${exited.signal ?? `status ${exited.code}`})`);
      return cgroup.pids().includes(pid);
    },
    timeoutMs,
    { firstMs: 2, maxMs: 2 },
  );
  if (!joined) {
    process.kill(pid, 'SIGKILL');
    throw new VirError(ErrorCode.OPERATION_FAILED, errorDomain, `domain '${name}' did not join its cgroup within ${timeoutMs} ms`);
  }
  const pidStartTime = processStartTime(pid);
  if (pidStartTime === undefined) throw failed(`domain '${name}' exited while starting`);
  return { pid, pidStartTime, child };
}
