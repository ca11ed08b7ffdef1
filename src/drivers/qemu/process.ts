import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { pollUntil } from '../common/poll.js';
import { isSameProcess, processStartTime } from '../common/process-identity.js';

/** How to start one QEMU process. */
export interface QemuLaunch {
  emulator: string;
  args: readonly string[];
  /** A cgroup directory (v1 or v2) the process joins before it execs QEMU, so no QEMU page escapes it. */
  cgroupDir?: string;
  /** Several cgroup directories to join, one per v1 hierarchy a domain cgroup spans (with or instead of `cgroupDir`). */
  cgroupDirs?: readonly string[];
  /**
   * The hard limit in KiB that RLIMIT_MEMLOCK follows, set before exec: `memlockKiB << 10` bytes as libvirt does,
   * held to {@link memlockCeilingBytes}.
   */
  memlockKiB?: bigint;
  /** Where QEMU's stdout and stderr go (appended). */
  logFile: string;
  /** A descriptor of this process the child gets as its fd 3 (the monitor's listening socket). */
  fd3?: number;
}

/** How a process we started ended. */
export interface QemuExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running QEMU process, identified by pid and kernel start time so a reused pid is never mistaken for it. */
export interface QemuProcessId {
  pid: number;
  /** /proc/PID/stat field 22: clock ticks since boot when the process started. */
  startTime: string;
}

/** A QEMU this process started: its id and, because it is our child, how it exits. */
export interface SpawnedQemu extends QemuProcessId {
  exited: Promise<QemuExit>;
}

// $1 = how many cgroup dirs follow, then the dirs, then the memlock KiB or '', then `soft` (soft limit only) or `both`,
// then the command. The shell joins the cgroups and sets the limit in its own process, and exec keeps both: QEMU's
// first instruction already runs inside them. Nothing here forks (`echo` is a builtin): a fork is a millisecond
// or more on a busy host, in the middle of every start.
const LAUNCHER = [
  'n=$1; shift',
  'while [ "$n" -gt 0 ]; do echo $$ > "$1/cgroup.procs" || exit 126; shift; n=$((n - 1)); done',
  'lock=$1; which=$2; shift 2',
  'if [ -n "$lock" ] && [ "$which" = soft ]; then ulimit -S -l "$lock" || exit 126; fi',
  'if [ -n "$lock" ] && [ "$which" = both ]; then ulimit -l "$lock" || exit 126; fi',
  'exec "$@"',
].join('\n');

/**
 * Starts QEMU detached (its own session, no stdin, output to the log file) so it outlives this process, inside
 * its cgroup and with its memlock limit from the first instruction.
 * @throws VirError SYSTEM_ERROR if the launcher cannot be spawned.
 */
export async function spawnQemu(launch: QemuLaunch): Promise<SpawnedQemu> {
  const cgroupDirs = [...(launch.cgroupDir === undefined ? [] : [launch.cgroupDir]), ...(launch.cgroupDirs ?? [])];
  const log = openSync(launch.logFile, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn(
      '/bin/sh',
      [
        '-c',
        LAUNCHER,
        'virtune-qemu-launcher',
        String(cgroupDirs.length),
        ...cgroupDirs,
        // `ulimit -l` counts KiB; the ceiling is a process limit, so it is whole KiB too.
        launch.memlockKiB === undefined ? '' : String(memlockBytesFor(launch.memlockKiB, memlockCeilingBytes()) >> 10n),
        hasCapSysResource() ? 'both' : 'soft',
        launch.emulator,
        ...launch.args,
      ],
      { detached: true, stdio: ['ignore', log, log, ...(launch.fd3 === undefined ? [] : [launch.fd3])] },
    );
  } finally {
    closeSync(log);
  }
  const exited = new Promise<QemuExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: 127, signal: null }));
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    const how = await exited;
    throw new VirError(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, `cannot execute /bin/sh (exit ${how.code})`);
  }
  // The launcher execs QEMU in place, so the start time read now is QEMU's own.
  const startTime = processStartTime(pid) ?? '0';
  return { pid, startTime, exited };
}

/** True while the process `id` names is alive (and is still the same process, not a reused pid). */
export function isProcessAlive(id: QemuProcessId): boolean {
  return isSameProcess(id.pid, id.startTime);
}

/**
 * Waits until the process is gone or `timeoutMs` passes; true if it is gone. A child of ours is awaited through
 * its exit event; any other process is polled in /proc, because Node has no way to wait for a non-child.
 */
export async function waitForExit(id: QemuProcessId, timeoutMs: number, exited?: Promise<unknown>): Promise<boolean> {
  if (exited) {
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return done || !isProcessAlive(id);
  }
  return pollUntil(() => !isProcessAlive(id), timeoutMs, { maxMs: 50 });
}

/** Sends `signal` to the process if it is still the one `id` names. */
export async function signalProcess(id: QemuProcessId, signal: NodeJS.Signals): Promise<void> {
  if (!isProcessAlive(id)) return;
  try {
    process.kill(id.pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** An RLIMIT_MEMLOCK pair as prlimit takes it: bytes, or `unlimited`. */
export type MemlockLimits = readonly [soft: string, hard: string];

// capabilities(7): CAP_SYS_RESOURCE is bit 24 of the effective set.
const CAP_SYS_RESOURCE = 24n;

/**
 * True when this process holds CAP_SYS_RESOURCE, without which no process may raise a hard rlimit (containers,
 * this project's sandbox among them, often drop it).
 */
export function hasCapSysResource(): boolean {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return false;
  }
  const cap = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return cap !== null && ((BigInt(`0x${cap[1]}`) >> CAP_SYS_RESOURCE) & 1n) === 1n;
}

/**
 * The most RLIMIT_MEMLOCK this process may hand to QEMU, bytes: no ceiling with CAP_SYS_RESOURCE, otherwise its
 * own hard limit.
 */
export function memlockCeilingBytes(): bigint | undefined {
  if (hasCapSysResource()) return undefined;
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const hard = /^Max locked memory\s+\S+\s+(\S+)/m.exec(limits)?.[1];
  return hard === undefined || hard === 'unlimited' ? undefined : BigInt(hard);
}

/** RLIMIT_MEMLOCK for a hard limit of `kib` (libvirt: `kib << 10` bytes), held to `ceiling` when there is one. */
export function memlockBytesFor(kib: bigint, ceiling: bigint | undefined): bigint {
  const wanted = BigInt(kib) << 10n;
  return ceiling !== undefined && wanted > ceiling ? ceiling : wanted;
}

/**
 * Sets a running process's RLIMIT_MEMLOCK with util-linux `prlimit`: {@link memlockBytesFor} `kib`, or `fallback`
 * when `kib` is undefined (no hard_limit: the limits the process inherited at start). With CAP_SYS_RESOURCE both
 * soft and hard limits are set, as libvirt does; without it only the soft limit moves, because a hard limit once
 * lowered could never be raised again and a later, higher hard_limit would fail.
 * @throws VirError SYSTEM_ERROR if prlimit fails (the process is gone, or prlimit is missing).
 */
export async function setMemlock(pid: number, kib: bigint | undefined, fallback: MemlockLimits): Promise<void> {
  const bytes = kib === undefined ? undefined : memlockBytesFor(kib, memlockCeilingBytes()).toString();
  const [soft, hard] = bytes === undefined ? fallback : [bytes, bytes];
  const spec = hasCapSysResource() ? `${soft}:${hard}` : `${soft}:`;
  await new Promise<void>((resolve, reject) => {
    execFile('prlimit', ['--pid', String(pid), `--memlock=${spec}`], (err, _out, stderr) => {
      if (!err) return resolve();
      reject(
        new VirError(
          ErrorCode.SYSTEM_ERROR,
          ErrorDomain.QEMU,
          `cannot limit locked memory of process ${pid} to ${spec}: ${stderr.trim() || err.message}`,
          { cause: err },
        ),
      );
    });
  });
}

/** RLIMIT_MEMLOCK of `pid` from /proc/PID/limits: `[soft, hard]`, each bytes or `unlimited`. */
export async function readMemlock(pid: number): Promise<MemlockLimits> {
  const text = await readFile(`/proc/${pid}/limits`, 'utf8');
  const line = text.split('\n').find((l) => l.startsWith('Max locked memory'));
  const m = line ? /Max locked memory\s+(\S+)\s+(\S+)/.exec(line) : null;
  if (!m) throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, `no locked memory limit in /proc/${pid}/limits`);
  return [m[1]!, m[2]!];
}

/** The last `maxBytes` of QEMU's log, trimmed: the reason it gives when it refuses to start. */
export async function logTail(logFile: string, maxBytes = 2048): Promise<string> {
  try {
    const text = await readFile(logFile, 'utf8');
    return text.slice(-maxBytes).trim();
  } catch {
    return '';
  }
}
