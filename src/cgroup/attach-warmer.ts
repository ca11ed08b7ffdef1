import { close, constants, openSync, readFileSync, write } from 'node:fs';
import { isCgroupFs } from './cgroup-fs.js';
import type { ControllerPlacement } from './domain-cgroup.js';

/**
 * How often the warmer repeats its write, ms. The kernel leaves the attach path fast for at least one RCU grace
 * period after the last attach ended (rcu_sync's GP_EXIT state); grace periods here are 4–12 ms (HZ=250), and a
 * gap of 12 ms was measured still fast, 16 ms not. 3 ms keeps well inside that on hosts with shorter ones.
 */
export const ATTACH_WARM_PERIOD_MS = 3;

let running = 0;

/** How many warmers of this process have not ended yet (every start must leave none running). */
export function runningAttachWarmers(): number {
  return running;
}

/** A running warmer; {@link AttachWarmer.stop} ends it (idempotent). */
export interface AttachWarmer {
  stop(): void;
  /** How many writes have completed (tests watch it move). */
  readonly writes: number;
}


/**
 * The cgroup directory process `pid` is in within `placement`'s hierarchy, from /proc/PID/cgroup (v1: the line
 * whose controllers include the placement's; v2: the `0::` line); undefined when it says nothing of it.
 */
export function cgroupDirOf(placement: ControllerPlacement, pid: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return undefined;
  }
  const v2 = placement.files.version === 'v2';
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    const matches = v2
      ? line.slice(0, first) === '0' && controllers === ''
      : controllers.split(',').includes(placement.spec.v1Name);
    if (matches) return path === '/' ? placement.root : `${placement.root}${path}`;
  }
  return undefined;
}

/**
 * Keeps the kernel's cgroup attach path warm while a domain starts: writes process `pid` (default: this one) into
 * the `cgroup.procs` of the cgroup it is already in, in `placement`'s hierarchy (a move to where it is: nothing
 * changes), every {@link ATTACH_WARM_PERIOD_MS}, until stopped.
 *
 * Why: every write to a `cgroup.procs` or `tasks` file takes the kernel's global `cgroup_threadgroup_rwsem` for
 * writing, and when no attach happened within the last grace period that first waits for an RCU grace period
 * (rcu_sync_enter: 4–14 ms here), holding cgroup_mutex meanwhile (so a cgroup mkdir waits too). A start
 * attaches twice, far apart: the launcher joins the domain's cgroups before it execs QEMU, and the vCPU threads
 * go into `vcpuN/` once QMP has named them (~30 ms later); each paid a grace period. With a write at least once
 * per grace period from just before the first, the second waits for none — as the `favordynmods` mount option
 * would make it for the whole host, here only for part of a start. The cost: a write every few ms, and
 * meanwhile the host's forks and exits take the rwsem's slower read path.
 *
 * The cgroup is read again before every write, so a move of the process by someone else is followed; only a move
 * in the instant between that read and the write (a thread-pool round trip) would be undone, and nothing moves a
 * command-line process in the milliseconds of a start. Only a real cgroup filesystem is written to (never a tree
 * laid out like one), and the file is never created. Any failure (no permission, no such file) ends the warmer
 * quietly: it only saves time.
 */
export function warmCgroupAttach(placement: ControllerPlacement, pid = process.pid): AttachWarmer {
  let stopped = false;
  let writes = 0;
  let timer: NodeJS.Timeout | undefined;
  let fd: number | undefined;
  let fdDir: string | undefined;
  let inFlight = false;
  const closeFd = (): void => {
    if (fd !== undefined) close(fd, () => undefined);
    fd = undefined;
    fdDir = undefined;
  };
  const finish = (): void => {
    if (!stopped) running--;
    stopped = true;
    clearTimeout(timer);
    if (!inFlight) closeFd();
  };
  const next = (): void => {
    if (stopped) return closeFd();
    timer = setTimeout(step, ATTACH_WARM_PERIOD_MS);
    timer.unref();
  };
  const writeOnce = (): void => {
    inFlight = true;
    write(fd!, String(pid), (err) => {
      inFlight = false;
      if (err) return finish();
      writes++;
      next();
    });
  };
  function step(): void {
    if (stopped) return;
    const dir = cgroupDirOf(placement, pid);
    if (dir === undefined) return finish();
    if (dir !== fdDir || fd === undefined) {
      closeFd();
      // Opened at once (no thread-pool round trip), so the first write is queued before the caller's next step.
      try {
        fd = openSync(`${dir}/cgroup.procs`, constants.O_WRONLY);
      } catch {
        return finish();
      }
      fdDir = dir;
    }
    writeOnce();
  }
  if (isCgroupFs(placement.root)) {
    running++;
    step();
  } else {
    stopped = true;
  }
  return {
    stop: finish,
    get writes() {
      return writes;
    },
  };
}
