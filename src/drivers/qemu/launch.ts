import { unlink } from 'node:fs/promises';
import { warmCgroupAttach, type AttachWarmer } from '../../cgroup/attach-warmer.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { UNLIMITED } from '../../memory/params.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { setBalloonKiB, setBalloonStatsPeriod } from './balloon.js';
import { buildQemuCommand, MONITOR_FD } from './command-line.js';
import { listenMonitor, type MonitorListener } from './monitor-listener.js';
import { logTail, spawnQemu, type MemlockLimits, type SpawnedQemu } from './process.js';
import { placeThreadsAndTune } from './cgroup-layout.js';
import { QmpClient } from './qmp-client.js';
import type { QemuDomainFiles, QemuRuntime } from './runtime.js';
import { killQemu, releaseRuntime } from './teardown.js';

/** How long a fresh QEMU gets to open its monitor, ms (TCG on a busy host is slow to start). */
export const MONITOR_CONNECT_MS = 30_000;
// sockaddr_un.sun_path holds 108 bytes including the terminator.
const MAX_SOCKET_PATH = 107;

/**
 * Starts QEMU for `live`: creates its cgroup and writes its limits into it (`prepareCgroup`), spawns QEMU inside it (paused,
 * with RLIMIT_MEMLOCK from hard_limit), connects the monitor, sets the balloon target and stats period, and lets
 * the guest run. On any failure everything started so far is stopped and removed before the error is thrown.
 *
 * @throws VirError INTERNAL_ERROR `process exited while connecting to monitor: ...` with QEMU's own words when it
 * refuses to start.
 */
export async function launchQemuDomain(
  live: DomainDef,
  cgroup: DomainCgroup,
  files: QemuDomainFiles,
  memlockFallback: MemlockLimits,
  prepareCgroup: () => number,
): Promise<QemuRuntime> {
  if (Buffer.byteLength(files.monitorSocket) > MAX_SOCKET_PATH) {
    throw new VirError(
      ErrorCode.CONFIG_UNSUPPORTED,
      ErrorDomain.QEMU,
      `monitor socket path '${files.monitorSocket}' is longer than ${MAX_SOCKET_PATH} bytes; use a shorter root`,
    );
  }
  const command = buildQemuCommand(live, { monitorFd: MONITOR_FD, serialLog: files.serialLog });
  // unlink, not rm: rm first lstats the path (a second thread-pool round trip) and loads its directory walker.
  await unlink(files.monitorSocket).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  // Created with its limits before anything joins it; removed again by itself if that fails.
  const oomKillsAtStart = prepareCgroup();
  // The launcher's join and the placement of the vCPU threads ~30 ms later each waited for an RCU grace period
  // (warmCgroupAttach says why); kept warm from here, the second waits for none and the first for what is left
  // of the one this first write pays. Not before the cgroup exists: a cold write holds cgroup_mutex for its whole
  // grace period, and the mkdir would wait behind it.
  const warmer: AttachWarmer = warmCgroupAttach(cgroup.placements[0]!);
  let proc: SpawnedQemu | undefined;
  let qmp: QmpClient | undefined;
  let monitor: MonitorListener | undefined;
  const partial = (): QemuRuntime => ({
    proc: proc ?? { pid: -1, startTime: '' },
    ...(proc ? { exited: proc.exited } : {}),
    ...(qmp ? { qmp } : {}),
    cgroup,
    files,
    oomKillsAtStart,
    memlockFallback,
    hasBalloon: command.hasBalloon,
    gotShutdown: false,
  });
  try {
    const hard = live.memtune.hardLimit;
    monitor = await listenMonitor(files.monitorSocket);
    proc = await spawnQemu({
      emulator: command.emulator,
      args: command.args,
      cgroupDirs: cgroup.dirs,
      ...(hard < UNLIMITED ? { memlockKiB: hard } : {}),
      logFile: files.logFile,
      fd3: monitor.fd,
    });
    // QEMU holds the socket now; ours goes before the event loop could accept on it.
    monitor.handOver();
    monitor = undefined;
    qmp = await connectOrExplain(proc, files);
    // Before the guest runs, as libvirt: threads into emulator/ and vcpuN/, with <cputune>'s values.
    await placeThreadsAndTune(cgroup, qmp, proc.pid, live);
    warmer.stop();
    const balloon = live.devices.memballoon;
    if (command.hasBalloon && balloon?.statsPeriod !== undefined) await setBalloonStatsPeriod(qmp, balloon.statsPeriod);
    if (command.hasBalloon && live.currentMemory < live.memory) await setBalloonKiB(qmp, live.currentMemory);
    await qmp.execute('cont');
    return partial();
  } catch (e) {
    warmer.stop();
    monitor?.close();
    const rt = partial();
    await killQemu(rt).catch(() => undefined);
    await releaseRuntime(rt).catch(() => undefined);
    throw e;
  }
}

/** How long a monitor that ended gives QEMU's exit to be reported, so the error can carry QEMU's own words, ms. */
const EXIT_AFTER_EOF_MS = 2_000;

/** Connects to the monitor, or says why QEMU exited instead (its log holds the reason). */
async function connectOrExplain(proc: SpawnedQemu, files: QemuDomainFiles): Promise<QmpClient> {
  const connecting = QmpClient.connect(files.monitorSocket, { timeoutMs: MONITOR_CONNECT_MS });
  const died = proc.exited.then(async (how) => {
    const why = (await logTail(files.logFile)) || `exit status ${how.code ?? how.signal}`;
    return new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, `process exited while connecting to monitor: ${why}`);
  });
  const first = await Promise.race([
    connecting.then(
      (c) => ({ c }),
      (failed: unknown) => ({ failed }),
    ),
    died.then((err) => ({ err })),
  ]);
  if ('c' in first) return first.c;
  if ('err' in first) {
    // The connection attempt may still succeed or fail later; either way it must not dangle.
    void connecting.then((c) => c.close(), () => undefined);
    throw first.err;
  }
  // The socket is connected from the start, so a QEMU that refuses to start ends the monitor a moment before
  // its exit is reported: then QEMU's own words say why.
  if (first.failed instanceof VirError && first.failed.code === ErrorCode.OPERATION_FAILED) {
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([died, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), EXIT_AFTER_EOF_MS)))]);
    clearTimeout(timer);
    if (exited) throw exited;
  }
  throw first.failed;
}
