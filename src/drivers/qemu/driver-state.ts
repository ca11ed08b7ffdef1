import { appendFile, rm } from 'node:fs/promises';
import type { HostCgroups } from '../../cgroup/controller.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import {
  DomainEventStartedDetail,
  DomainEventStoppedDetail,
  DomainEventType,
  type DomainEvent,
  type DomainEventSink,
} from '../../events.js';
import { DomainRunningReason, DomainShutoffReason, DomainState } from '../../flags.js';
import type { MemoryParamName } from '../../memory/params.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { GuaranteeAdmission, withGuarantee } from '../common/admission.js';
import type { DefinitionSavers } from '../common/definition-change.js';
import { removingCreatedOnFailure } from '../common/domain-files.js';
import { DomainLocks } from '../common/domain-lock.js';
import { cloneDef, DomainObjectList, type DomainObject } from '../common/domain-objects.js';
import { rebuildLiveMemTune, runningStatusRecord, statusCgroup, storeSavers, type StoreSavers } from '../common/status-record.js';
import { refreshFromFiles, type KnownRun } from '../common/refresh-from-files.js';
import { DomainStore, type DomainStatusRecord } from '../common/store.js';
import { balloonEventKiB } from './balloon.js';
import { onSizeChange } from './virtio-mem.js';
import { launchQemuDomain } from './launch.js';
import type { QemuPaths } from './paths.js';
import { isProcessAlive, readMemlock, waitForExit, type MemlockLimits } from './process.js';
import { QmpClient, type QmpEvent } from './qmp-client.js';
import { parseQemuDomainXML } from './qemu-xml.js';
import type { QemuDomainFiles, QemuRuntime } from './runtime.js';
import { KILL_GRACE_MS, killQemu, releaseRuntime } from './teardown.js';
import { MEMORY } from '../../cgroup/controllers.js';

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
 * Everything one QEMU root holds, shared by every connection a process opens on that root — as libvirtd's single
 * driver is shared by its clients. QMP serves one client per socket, so two connections in one process must
 * share the monitors; sharing the domain list keeps their views of it the same too.
 */
export class QemuDriverState {
  static readonly #byRoot = new Map<string, Promise<QemuDriverState>>();

  readonly domains: DomainObjectList;
  readonly runtimes = new Map<DomainObject, QemuRuntime>();
  readonly locks: DomainLocks;
  readonly #sinks = new Set<DomainEventSink>();
  /** min_guarantee admission of this root's starts and live raises (shared by its connections). */
  readonly admission: GuaranteeAdmission;
  /** The memory parameters QEMU domains take ({@link withGuarantee}); libvirt's QEMU refuses min_guarantee. */
  readonly supportedParams: readonly MemoryParamName[];

  private constructor(
    readonly paths: QemuPaths,
    readonly store: DomainStore,
    readonly controller: HostCgroups,
    readonly memlockFallback: MemlockLimits,
  ) {
    this.domains = new DomainObjectList({ errorDomain: D });
    // The namespace is read at each acquisition: a store opened read-only is named once a writer shares it.
    this.locks = new DomainLocks({
      get namespace() {
        return store.lockNamespace;
      },
      errorDomain: D,
    });
    this.admission = new GuaranteeAdmission({ controller, errorDomain: D }, this.runtimes);
    this.supportedParams = withGuarantee(controller.filesOf(MEMORY).params);
    this.savers = storeSavers(
      store,
      this.locks,
      (obj, live) => {
        const rt = this.runtimes.get(obj);
        return rt && this.#status(obj, rt, live);
      },
      (obj) =>
        refreshFromFiles(obj, {
          store,
          domains: this.domains,
          parseXML: (xml) => parseQemuDomainXML(xml),
          knownRun: (o) => this.knownRun(o),
          resync: (o, record) => this.resync(o, record),
        }),
    );
  }

  /**
   * The state of `paths.root`, loading it (definitions, then running domains, reconnected) on first use. Every
   * call must be paired with {@link release}.
   */
  static async acquire(
    paths: QemuPaths,
    controller: HostCgroups,
    sink: DomainEventSink,
    readOnly = false,
  ): Promise<QemuDriverState> {
    let pending = QemuDriverState.#byRoot.get(paths.configDir);
    if (!pending) {
      pending = QemuDriverState.#load(paths, controller, readOnly);
      QemuDriverState.#byRoot.set(paths.configDir, pending);
      pending.catch(() => QemuDriverState.#byRoot.delete(paths.configDir));
    }
    const state = await pending;
    if (!readOnly) await state.store.makeWritable();
    state.#sinks.add(sink);
    return state;
  }

  static async #load(paths: QemuPaths, controller: HostCgroups, readOnly: boolean): Promise<QemuDriverState> {
    const { store, configs, statuses } = await DomainStore.open({
      configDir: paths.configDir,
      stateDir: paths.stateDir,
      errorDomain: D,
      readOnly,
    });
    const state = new QemuDriverState(paths, store, controller, await readMemlock(process.pid));
    for (const { value } of configs) {
      try {
        state.domains.define(parseQemuDomainXML(value));
      } catch {
        // libvirt skips a definition it cannot load and opens anyway; so do we.
      }
    }
    for (const { name, value } of statuses) await state.#reconnect(name, value);
    return state;
  }

  /** Drops a connection's sink; the last one closes the monitors (QEMU keeps running) and forgets the state. */
  async release(sink: DomainEventSink): Promise<void> {
    this.#sinks.delete(sink);
    if (this.#sinks.size > 0) return;
    QemuDriverState.#byRoot.delete(this.paths.configDir);
    const [failure] = await this.savers.flushDeferred();
    for (const rt of this.runtimes.values()) {
      const qmp = rt.qmp;
      delete rt.qmp;
      await qmp?.close();
    }
    // A status that cannot be saved (a full disk) is reported, never dropped in silence.
    if (failure !== undefined) throw failure;
  }

  emit(event: DomainEvent): void {
    for (const sink of this.#sinks) sink(event);
  }

  lifecycle(obj: DomainObject, event: DomainEventType, detail: number): void {
    this.emit({ kind: 'lifecycle', domain: obj.ref(), event, detail });
  }

  // ---- files -------------------------------------------------------------------------------------------

  files(name: string): QemuDomainFiles {
    const stem = this.store.statusPath(name).replace(/\.json$/, '');
    return { monitorSocket: `${stem}.monitor`, logFile: `${stem}.log`, serialLog: `${stem}.serial.log` };
  }

  readonly savers: StoreSavers;

  #status(obj: DomainObject, rt: QemuRuntime, live: DomainDef): DomainStatusRecord {
    const proc = { pid: rt.proc.pid, pidStartTime: rt.proc.startTime, cgroup: rt.cgroup, oomKillsAtStart: rt.oomKillsAtStart };
    return {
      ...runningStatusRecord(obj, live, proc),
      monitorSocket: rt.files.monitorSocket,
      extra: { memlockFallback: rt.memlockFallback, hasBalloon: rt.hasBalloon },
    };
  }

  // ---- running domains ---------------------------------------------------------------------------------

  /** The QEMU process this process knows `obj` runs as, with its cgroup. */
  knownRun(obj: DomainObject): KnownRun | undefined {
    const rt = this.runtimes.get(obj);
    return rt && { pid: rt.proc.pid, pidStartTime: rt.proc.startTime, cgroup: rt.cgroup };
  }

  /**
   * Another process stopped or started `obj` (its status file names another run): let go of the run this
   * process knew (its monitor; the teardown was the other process's), then adopt `record`'s or clean up after it.
   */
  async resync(obj: DomainObject, record: DomainStatusRecord | undefined): Promise<void> {
    const rt = this.runtimes.get(obj);
    if (rt) {
      const qmp = rt.qmp;
      delete rt.qmp;
      await qmp?.close();
      this.runtimes.delete(obj);
      this.domains.markStopped(obj, DomainShutoffReason.UNKNOWN);
    }
    if (record) await this.#reconnect(obj.name, record);
  }

  /** The runtime of a running domain, or OPERATION_INVALID `domain is not running`. */
  running(obj: DomainObject): QemuRuntime {
    const rt = this.runtimes.get(obj);
    if (!rt) throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is not running');
    return rt;
  }

  /**
   * The monitor of a running domain, connecting again if this process does not hold it yet. Call it with the
   * domain's lock held: a QEMU found dead here is torn down on the spot.
   */
  async monitor(obj: DomainObject): Promise<QmpClient> {
    const rt = this.running(obj);
    if (rt.qmp && !rt.qmp.closed) return rt.qmp;
    // It may have died while another process held its monitor: nobody saw the end, so it crashed as far as we know.
    const dead = async (): Promise<never> => {
      await this.finish(obj, rt, DomainShutoffReason.CRASHED, DomainEventStoppedDetail.FAILED);
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

  /** Starts `obj` from its persistent definition (or its transient live one). Nothing is left on failure. */
  async start(obj: DomainObject): Promise<void> {
    if (this.runtimes.has(obj)) {
      throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is already running');
    }
    const live = cloneDef(obj.config ?? obj.def('live'));
    const files = this.files(live.name);
    await this.admission.start(obj, live.memtune.minGuarantee, () =>
      removingCreatedOnFailure([files.logFile, files.serialLog], () => this.#launch(obj, live)),
    );
    this.lifecycle(obj, DomainEventType.STARTED, DomainEventStartedDetail.BOOTED);
  }

  /** Launches QEMU for `obj` with the live definition `live`; kills and removes everything it made on failure. */
  async #launch(obj: DomainObject, live: DomainDef): Promise<void> {
    const cgroup = this.controller.domain(live.name, this.paths.cgroupDriverName);
    const files = this.files(live.name);
    const rt = await launchQemuDomain(live, cgroup, files, this.memlockFallback);
    try {
      this.domains.markStarted(obj, DomainRunningReason.BOOTED, live);
      this.runtimes.set(obj, rt);
      await this.savers.saveLive(obj, live);
      this.#attach(obj, rt, rt.qmp!);
    } catch (e) {
      this.runtimes.delete(obj);
      if (obj.active) this.domains.markStopped(obj, DomainShutoffReason.FAILED);
      rt.stopRequest = 'destroy';
      await killQemu(rt).catch(() => undefined);
      await releaseRuntime(rt).catch(() => undefined);
      throw e;
    }
  }

  /** Follows the monitor: balloon changes update the live definition, its end means QEMU is gone. */
  #attach(obj: DomainObject, rt: QemuRuntime, qmp: QmpClient): void {
    rt.qmp = qmp;
    qmp.on('event', (e: QmpEvent) => this.#onEvent(obj, rt, e));
    qmp.once('close', () => {
      // A monitor we closed ourselves (release) is not QEMU ending.
      if (rt.qmp !== qmp) return;
      void this.locks.run(obj.uuid, () => this.#onMonitorEnd(obj, rt)).catch(() => undefined);
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

  /** QEMU's monitor closed: unless we are stopping it, it ended by itself (guest shutdown) or died. */
  async #onMonitorEnd(obj: DomainObject, rt: QemuRuntime): Promise<void> {
    if (this.runtimes.get(obj) !== rt || rt.stopRequest) return;
    await waitForExit(rt.proc, KILL_GRACE_MS, rt.exited);
    const oom = rt.cgroup.exists() && rt.cgroup.tunables(MEMORY).oomKills() > rt.oomKillsAtStart;
    // libvirt: a monitor that closes without a SHUTDOWN event means QEMU crashed.
    const crashed = oom || !rt.gotShutdown;
    await this.finish(
      obj,
      rt,
      crashed ? DomainShutoffReason.CRASHED : DomainShutoffReason.SHUTDOWN,
      crashed ? DomainEventStoppedDetail.FAILED : DomainEventStoppedDetail.SHUTDOWN,
      oom ? 'OOM killer: the memory cgroup hard limit was reached' : undefined,
    );
  }

  /**
   * Tears a stopped domain down (monitor, socket, cgroup, status file), marks it shut off with `reason` and emits
   * STOPPED with `detail`. QEMU must be gone already. Idempotent.
   */
  async finish(
    obj: DomainObject,
    rt: QemuRuntime,
    reason: DomainShutoffReason,
    detail: DomainEventStoppedDetail,
    why?: string,
  ): Promise<void> {
    if (this.runtimes.get(obj) !== rt) return;
    const qmp = rt.qmp;
    delete rt.qmp;
    await qmp?.close();
    // A read-only connection that saw the end writes nothing: the next read-write one cleans up.
    if (this.store.writable) {
      await logShutdown(rt.files.logFile, reason, why);
      await releaseRuntime(rt);
      await this.store.removeStatus(obj.name);
    }
    this.runtimes.delete(obj);
    const ref = obj.ref();
    this.domains.markStopped(obj, reason);
    this.emit({ kind: 'lifecycle', domain: { ...ref, id: -1 }, event: DomainEventType.STOPPED, detail });
  }

  /** A domain recorded as running: adopt it if its QEMU still runs, else clean up and report it crashed. */
  async #reconnect(name: string, status: DomainStatusRecord): Promise<void> {
    let live: DomainDef;
    try {
      live = parseQemuDomainXML(status.liveXml);
    } catch {
      return;
    }
    const cgroup = statusCgroup(this.controller, name, this.paths.cgroupDriverName, status);
    const files = { ...this.files(name), ...(status.monitorSocket ? { monitorSocket: status.monitorSocket } : {}) };
    const extra = status.extra ?? {};
    const rt: QemuRuntime = {
      proc: { pid: status.pid, startTime: status.pidStartTime },
      cgroup,
      files,
      oomKillsAtStart: status.oomKillsAtStart ?? 0,
      memlockFallback: (extra.memlockFallback as MemlockLimits | undefined) ?? this.memlockFallback,
      hasBalloon: extra.hasBalloon !== false,
      gotShutdown: false,
    };
    let obj = this.domains.findByUUID(live.uuid);
    if (isProcessAlive(rt.proc)) {
      // A live limit change whose status save was deferred, or lost with the process that made it.
      if (cgroup.exists()) live.memtune = rebuildLiveMemTune(live, status, cgroup);
      obj ??= this.domains.addTransient(live);
      // The restored id moves the id counter, so no later start is handed the same one.
      this.domains.markStarted(obj, status.reason, live, status.id);
      this.runtimes.set(obj, rt);
      try {
        this.#attach(obj, rt, await QmpClient.connect(files.monitorSocket, { timeoutMs: RECONNECT_MONITOR_MS }));
      } catch {
        // Another process holds the monitor: the domain runs, and live calls reconnect when they need it.
      }
      return;
    }
    // It died while nobody watched. A read-only connection leaves the cleanup to the next read-write one.
    if (this.store.writable) {
      await releaseRuntime(rt).catch(() => undefined);
      await rm(files.monitorSocket, { force: true });
      await this.store.removeStatus(name);
    }
    if (obj) {
      obj.state = DomainState.SHUTOFF;
      obj.reason = DomainShutoffReason.CRASHED;
    }
  }
}
