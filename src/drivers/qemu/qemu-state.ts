import { appendFile } from 'node:fs/promises';
import type { HostCgroups } from '../../cgroup/controller.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { DomainEventStoppedDetail, type DomainEventSink } from '../../events.js';
import { DomainShutoffReason } from '../../flags.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { CgroupDriverState, type DomainEnd } from '../common/cgroup-driver-state.js';
import type { DomainObject } from '../common/domain-objects.js';
import type { DomainStatusRecord, DomainStore } from '../common/store.js';
import { balloonEventKiB } from './balloon.js';
import { onSizeChange } from './virtio-mem.js';
import { launchQemuDomain } from './launch.js';
import { qemuCpuTuneTargets, vcpuThreadCount } from './cgroup-layout.js';
import type { CpuTuneTargets } from '../common/cpu-tune-cgroup.js';
import type { QemuPaths } from './paths.js';
import { isProcessAlive, readMemlock, waitForExit, type MemlockLimits } from './process.js';
import { QmpClient, type QmpEvent } from './qmp-client.js';
import { QEMU_SPEC } from './qemu-spec.js';
import { parseQemuDomainXML } from './qemu-xml.js';
import type { QemuDomainFiles, QemuRuntime } from './runtime.js';
import { KILL_GRACE_MS, killQemu, releaseRuntime } from './teardown.js';

const D = ErrorDomain.QEMU;
const SHUTOFF_WORDS: Partial<Record<DomainShutoffReason, string>> = {
  [DomainShutoffReason.SHUTDOWN]: 'shutdown',
  [DomainShutoffReason.DESTROYED]: 'destroyed',
  [DomainShutoffReason.CRASHED]: 'crashed',
  [DomainShutoffReason.FAILED]: 'failed',
};

/** Appends libvirt's `shutting down, reason=...` line to the domain log, with our reason when we know it. */
async function logShutdown(logFile: string, reason: DomainShutoffReason, why?: string): Promise<void> {
  const line = `${new Date().toISOString()}: shutting down, reason=${SHUTOFF_WORDS[reason] ?? 'unknown'}${why ? ` (${why})` : ''}\n`;
  await appendFile(logFile, line).catch(() => undefined);
}

/** How long a reconnecting open waits for a monitor another process may hold, ms. */
const RECONNECT_MONITOR_MS = 2_000;

/**
 * One QEMU root, shared by every connection a process opens on it (QMP serves one client per socket, so two
 * connections in one process must share the monitors). What is QEMU's own: the launch (command line, monitor,
 * balloon target), following a guest through its monitor (balloon and memory-device events, its end), and the
 * teardown; the lifecycle around them is the skeleton's ({@link CgroupDriverState}).
 */
export class QemuDriverState extends CgroupDriverState<QemuRuntime> {
  /** The state of `paths`' root (loaded on first use); pair with {@link release}. */
  static acquire(paths: QemuPaths, controller: HostCgroups, sink: DomainEventSink, readOnly = false): Promise<QemuDriverState> {
    return CgroupDriverState.acquireRoot(
      paths,
      D,
      sink,
      readOnly,
      async (store) => new QemuDriverState(paths, store, controller, await readMemlock(process.pid)),
    );
  }

  private constructor(
    override readonly paths: QemuPaths,
    store: DomainStore,
    controller: HostCgroups,
    readonly memlockFallback: MemlockLimits,
  ) {
    super(QEMU_SPEC, paths, store, controller);
  }

  parseXML(xml: string, validate?: boolean): DomainDef {
    return parseQemuDomainXML(xml, validate);
  }

  processOf(rt: QemuRuntime): { pid: number; pidStartTime: string } {
    return { pid: rt.proc.pid, pidStartTime: rt.proc.startTime };
  }

  // ---- files -------------------------------------------------------------------------------------------

  files(name: string): QemuDomainFiles {
    const stem = this.store.statusPath(name).replace(/\.json$/, '');
    return { monitorSocket: `${stem}.monitor`, logFile: `${stem}.log`, serialLog: `${stem}.serial.log` };
  }

  /** Its log and its serial console's log. */
  override startFiles(name: string): string[] {
    const files = this.files(name);
    return [files.logFile, files.serialLog];
  }

  /** Its logs and its monitor socket. */
  override domainFiles(name: string): string[] {
    const files = this.files(name);
    return [files.logFile, files.serialLog, files.monitorSocket];
  }

  protected override statusExtra(rt: QemuRuntime): Partial<DomainStatusRecord> {
    return { monitorSocket: rt.files.monitorSocket, extra: { memlockFallback: rt.memlockFallback, hasBalloon: rt.hasBalloon } };
  }

  // ---- the hooks of the skeleton -------------------------------------------------------------------------

  protected launch(_obj: DomainObject, live: DomainDef, cgroup: DomainCgroup): Promise<QemuRuntime> {
    return launchQemuDomain(live, cgroup, this.files(live.name), this.memlockFallback, () => this.prepareCgroup(cgroup, live));
  }

  /** libvirt's layout: `cpu_shares` and `global_*` on the domain's cgroup, `vcpu_*` on vcpuN/, `emulator_*` on emulator/. */
  override cpuTargets(cgroup: DomainCgroup, def: DomainDef): CpuTuneTargets | undefined {
    return qemuCpuTuneTargets(cgroup, vcpuThreadCount(def));
  }

  protected isAlive(rt: QemuRuntime): boolean {
    return isProcessAlive(rt.proc);
  }

  protected adopt(name: string, status: DomainStatusRecord, cgroup: DomainCgroup): QemuRuntime {
    const extra = status.extra ?? {};
    return {
      proc: { pid: status.pid, startTime: status.pidStartTime },
      cgroup,
      files: { ...this.files(name), ...(status.monitorSocket ? { monitorSocket: status.monitorSocket } : {}) },
      oomKillsAtStart: status.oomKillsAtStart ?? 0,
      memlockFallback: (extra.memlockFallback as MemlockLimits | undefined) ?? this.memlockFallback,
      hasBalloon: extra.hasBalloon !== false,
      gotShutdown: false,
    };
  }

  /** Through its monitor: the launch's, or (adopted) connected now; another process may hold it, then later. */
  protected async follow(obj: DomainObject, rt: QemuRuntime): Promise<void> {
    if (rt.qmp) return this.#attach(obj, rt, rt.qmp);
    try {
      this.#attach(obj, rt, await QmpClient.connect(rt.files.monitorSocket, { timeoutMs: RECONNECT_MONITOR_MS }));
    } catch {
      // Another process holds the monitor: the domain runs, and live calls reconnect when they need it.
    }
  }

  /** Closes the monitor (QEMU keeps running). */
  protected async unfollow(rt: QemuRuntime): Promise<void> {
    const qmp = rt.qmp;
    delete rt.qmp;
    await qmp?.close();
  }

  /** QEMU made sure gone, its end logged, then the monitor socket and the cgroup removed. */
  protected async teardown(rt: QemuRuntime, end?: DomainEnd): Promise<void> {
    if (end) await logShutdown(rt.files.logFile, end.reason, end.why);
    await killQemu(rt);
    await releaseRuntime(rt);
  }

  /** QEMU's monitor closed: unless we are stopping it, it ended by itself (guest shutdown) or died. */
  protected override async howEnded(_obj: DomainObject, rt: QemuRuntime): Promise<DomainEnd | undefined> {
    if (rt.stopRequest) return undefined;
    await waitForExit(rt.proc, KILL_GRACE_MS, rt.exited);
    const oom = this.oomKilled(rt);
    // libvirt: a monitor that closes without a SHUTDOWN event means QEMU crashed.
    const crashed = oom || !rt.gotShutdown;
    return {
      reason: crashed ? DomainShutoffReason.CRASHED : DomainShutoffReason.SHUTDOWN,
      detail: crashed ? DomainEventStoppedDetail.FAILED : DomainEventStoppedDetail.SHUTDOWN,
      ...(oom ? { why: 'OOM killer: the memory cgroup hard limit was reached' } : {}),
    };
  }

  /** A QEMU found dead at reconnect crashed as far as anyone knows. */
  protected override diedUnseen(): DomainShutoffReason {
    return DomainShutoffReason.CRASHED;
  }

  // ---- the monitor ---------------------------------------------------------------------------------------

  /**
   * The monitor of a running domain, connecting again if this process does not hold it yet. Call it with the
   * domain's lock held: a QEMU found dead here is torn down on the spot.
   */
  async monitor(obj: DomainObject): Promise<QmpClient> {
    const rt = this.running(obj);
    if (rt.qmp && !rt.qmp.closed) return rt.qmp;
    // It may have died while another process held its monitor: nobody saw the end, so it crashed as far as we know.
    const dead = async (): Promise<never> => {
      await this.finish(obj, rt, { reason: DomainShutoffReason.CRASHED, detail: DomainEventStoppedDetail.FAILED });
      throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is not running');
    };
    if (!isProcessAlive(rt.proc)) return dead();
    try {
      this.#attach(obj, rt, await QmpClient.connect(rt.files.monitorSocket, { timeoutMs: RECONNECT_MONITOR_MS }));
    } catch (e) {
      if (!isProcessAlive(rt.proc)) return dead();
      throw new VirError(
        ErrorCode.OPERATION_FAILED,
        D,
        `cannot reach the monitor of domain '${obj.name}' (another process may hold it): ${(e as Error).message}`,
        { cause: e },
      );
    }
    return rt.qmp!;
  }

  /** Follows the monitor: balloon changes update the live definition, its end means QEMU is gone. */
  #attach(obj: DomainObject, rt: QemuRuntime, qmp: QmpClient): void {
    rt.qmp = qmp;
    qmp.on('event', (e: QmpEvent) => this.#onEvent(obj, rt, e));
    qmp.once('close', () => {
      // A monitor we closed ourselves (unfollow) is not QEMU ending.
      if (rt.qmp !== qmp) return;
      void this.ended(obj, rt);
    });
  }

  #onEvent(obj: DomainObject, rt: QemuRuntime, e: QmpEvent): void {
    if (e.event === 'SHUTDOWN') {
      rt.gotShutdown = true;
    } else if (e.event === 'BALLOON_CHANGE') {
      const kib = balloonEventKiB(e.data);
      if (kib === undefined || this.runtimes.get(obj) !== rt || !obj.live) return;
      // libvirt keeps the balloon's size as the live <currentMemory>.
      obj.live.currentMemory = kib;
      this.emit({ kind: 'balloon-change', domain: obj.ref(), actualKiB: kib });
    } else if (e.event === 'MEMORY_DEVICE_SIZE_CHANGE' && this.runtimes.get(obj) === rt && obj.live) {
      const changed = onSizeChange(obj.live, e.data);
      if (changed) this.emit({ kind: 'memory-device-size-change', domain: obj.ref(), ...changed });
    }
  }
}
