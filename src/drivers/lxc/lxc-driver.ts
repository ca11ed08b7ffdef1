import { readFileSync } from 'node:fs';
import type { HostCgroups } from '../../cgroup/controller.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import type { DomainInfo, DomainRef, DriverOpenOptions } from '../../driver.js';
import { ErrorCode, ErrorDomain, VirError, checkFlags } from '../../errors.js';
import {
  DomainEventStartedDetail,
  DomainEventStoppedDetail,
  DomainEventType,
  type DomainEventSink,
} from '../../events.js';
import {
  DOMAIN_SHUTDOWN_INITCTL,
  DOMAIN_SHUTDOWN_SIGNAL,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
} from '../../flags.js';
import { UNLIMITED, type MemoryParamName } from '../../memory/params.js';
import type { TypedParameterInput } from '../../typed-params/types.js';
import type { DomainDef } from '../../xml/domain-def.js';
import type { ResolvedAffect } from '../common/affect.js';
import { GuaranteeAdmission, requestedLiveGuarantee, withGuarantee } from '../common/admission.js';
import { CgroupDomainDriver, type CgroupDriverSpec } from '../common/cgroup-domain-driver.js';
import { cpuTimeNs } from '../common/cpu-time.js';
import { removingCreatedOnFailure } from '../common/domain-files.js';
import { commitDefinitionChange, type DefinitionSavers } from '../common/definition-change.js';
import { DomainLocks } from '../common/domain-lock.js';
import { cloneDef, DomainObjectList, type DomainObject } from '../common/domain-objects.js';
import { knownLiveMemTune, setMemoryParameters } from '../common/memtune-apply.js';
import { isSameProcess } from '../common/process-identity.js';
import { rebuildLiveMemTune, runningStatusRecord, statusCgroup, storeSavers, type StoreSavers } from '../common/status-record.js';
import type { KnownRun } from '../common/refresh-from-files.js';
import { DomainStore, type DomainStatusRecord } from '../common/store.js';
import { spawnContainer } from './container.js';
import { parseLxcDomainXML } from './lxc-xml.js';
import type { LxcPaths } from './paths.js';
import type { ContainerRuntime } from './runtime.js';
import { killAndRemove } from './teardown.js';
import { MEMORY } from '../../cgroup/controllers.js';

const D = ErrorDomain.LXC;
/** How often an adopted container (started by another process) is checked for exit. */
const ADOPTED_POLL_MS = 250;

const SPEC: CgroupDriverSpec = {
  errorDomain: D,
  fn: {
    listAll: 'lxcConnectListAllDomains',
    defineXML: 'lxcDomainDefineXMLFlags',
    createXML: 'lxcDomainCreateXMLWithFiles',
    create: 'lxcDomainCreateWithFiles',
    undefine: 'lxcDomainUndefineFlags',
    getXMLDesc: 'lxcDomainGetXMLDesc',
    getState: 'lxcDomainGetState',
    getMemoryParameters: 'lxcDomainGetMemoryParameters',
    setMemoryFlags: 'lxcDomainSetMemoryFlags',
  },
  undefineFlags: 0,
  undefineTransientMessage: 'Cannot undefine transient domain',
  maxMemoryActiveMessage: 'Cannot resize the max memory on an active domain',
  memoryAboveMaxMessage: 'Cannot set memory higher than max memory',
};

/**
 * The LXC driver: containers are an init process in fresh pid, mount, uts, ipc and net namespaces, limited by
 * a memory cgroup. State lives in files under the connection's root, so containers outlive the process that
 * started them and any later connection on the same root finds them.
 */
export class LxcDriver extends CgroupDomainDriver {
  readonly type = 'LXC';
  protected readonly spec = SPEC;
  protected readonly domains = new DomainObjectList({ errorDomain: D });
  protected readonly locks: DomainLocks;
  readonly #runtimes = new Map<DomainObject, ContainerRuntime>();
  readonly #params: readonly MemoryParamName[];
  /** min_guarantee admission of this driver's starts and live raises. */
  readonly #admission: GuaranteeAdmission;
  #closed = false;
  /** Definitions found at open that could not be loaded (skipped, as libvirt skips them). */
  readonly loadErrors: { file: string; error: unknown }[] = [];

  private constructor(
    protected readonly store: DomainStore,
    private readonly controller: HostCgroups,
    private readonly paths: LxcPaths,
    private readonly emit: DomainEventSink,
  ) {
    super();
    this.locks = new DomainLocks({ namespace: store.lockNamespace, errorDomain: D });
    this.#params = withGuarantee(controller.filesOf(MEMORY).params);
    this.#admission = new GuaranteeAdmission({ controller, errorDomain: D }, this.#runtimes);
    this.savers = storeSavers(
      store,
      this.locks,
      (obj, live) => {
        const rt = this.#runtimes.get(obj);
        return rt && runningStatusRecord(obj, live, rt);
      },
      (obj) => this.refresh(obj),
    );
  }

  /** Opens the driver on `paths`: loads every definition and reconnects to containers that still run. */
  static async open(paths: LxcPaths, controller: HostCgroups, options: DriverOpenOptions): Promise<LxcDriver> {
    const { store, configs, statuses, errors } = await DomainStore.open({
      configDir: paths.configDir,
      stateDir: paths.stateDir,
      errorDomain: D,
      readOnly: options.readOnly,
    });
    const driver = new LxcDriver(store, controller, paths, options.emit);
    for (const { path, error } of errors) driver.loadErrors.push({ file: path, error });
    for (const { name, value } of configs) {
      try {
        driver.domains.define(parseLxcDomainXML(value));
      } catch (e) {
        // As libvirt: one unreadable definition must not make every other domain unreachable.
        driver.loadErrors.push({ file: store.configPath(name), error: e });
      }
    }
    for (const { name, value } of statuses) {
      try {
        await driver.#reconnect(name, value);
      } catch (e) {
        driver.loadErrors.push({ file: store.statusPath(name), error: e });
      }
    }
    return driver;
  }

  /** A container recorded as running: adopt it if its supervisor still runs, else clean up and say it died. */
  async #reconnect(name: string, status: DomainStatusRecord): Promise<void> {
    const live = parseLxcDomainXML(status.liveXml);
    const cgroup = statusCgroup(this.controller, name, this.paths.cgroupDriverName, status);
    let obj = this.domains.findByUUID(live.uuid);
    if (isSameProcess(status.pid, status.pidStartTime) && cgroup.exists()) {
      // A live limit change whose status save was deferred, or lost with the process that made it.
      live.memtune = rebuildLiveMemTune(live, status, cgroup);
      obj ??= this.domains.addTransient(live);
      this.domains.markStarted(obj, status.reason, live, status.id);
      const rt: ContainerRuntime = {
        cgroup,
        pid: status.pid,
        pidStartTime: status.pidStartTime,
        oomKillsAtStart: status.oomKillsAtStart ?? 0,
      };
      this.#runtimes.set(obj, rt);
      this.#watch(obj, rt);
      return;
    }
    // It died while nobody watched. The cgroup still tells whether its memory limit killed it.
    const oom = cgroup.exists() && cgroup.tunables(MEMORY).oomKills() > (status.oomKillsAtStart ?? 0);
    // A read-only connection never writes: the next read-write one cleans up.
    if (this.store.writable) {
      await killAndRemove(cgroup, status.pid, status.pidStartTime);
      await this.store.removeStatus(name);
    }
    if (obj) {
      obj.state = DomainState.SHUTOFF;
      obj.reason = oom ? DomainShutoffReason.CRASHED : DomainShutoffReason.UNKNOWN;
    }
  }

  // ---- persistence -------------------------------------------------------------------------------------

  protected readonly savers: StoreSavers;

  /** The cgroup's parameters plus min_guarantee ({@link withGuarantee}); libvirt's LXC refuses min_guarantee. */
  protected get supportedParams(): readonly MemoryParamName[] {
    return this.#params;
  }

  protected liveCgroup(obj: DomainObject): DomainCgroup | undefined {
    return this.#runtimes.get(obj)?.cgroup;
  }

  protected knownRun(obj: DomainObject): KnownRun | undefined {
    return this.#runtimes.get(obj);
  }

  protected async resync(obj: DomainObject, record: DomainStatusRecord | undefined): Promise<void> {
    const rt = this.#runtimes.get(obj);
    if (rt) {
      this.#unwatch(rt);
      this.#runtimes.delete(obj);
      this.domains.markStopped(obj, DomainShutoffReason.UNKNOWN);
    }
    if (record) await this.#reconnect(obj.name, record);
  }

  protected parseXML(xml: string, validate?: boolean): DomainDef {
    return parseLxcDomainXML(xml, validate);
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------

  protected lifecycle(obj: DomainObject, event: DomainEventType, detail: number): void {
    if (!this.#closed) this.emit({ kind: 'lifecycle', domain: obj.ref(), event, detail });
  }

  /** Starts `obj` from its persistent definition (or its transient live one). Nothing is left on failure. */
  protected async start(obj: DomainObject): Promise<void> {
    if (this.#runtimes.has(obj)) {
      throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is already running');
    }
    const live = cloneDef(obj.config ?? obj.def('live'));
    await this.#admission.start(obj, live.memtune.minGuarantee, () =>
      removingCreatedOnFailure(this.domainFiles(live.name), () => this.#launch(obj, live)),
    );
    this.lifecycle(obj, DomainEventType.STARTED, DomainEventStartedDetail.BOOTED);
  }

  /** Spawns the container of `obj` with the live definition `live`; kills and removes everything on failure. */
  async #launch(obj: DomainObject, live: DomainDef): Promise<void> {
    const cgroup = this.controller.domain(live.name, this.paths.cgroupDriverName);
    cgroup.create();
    let started: Awaited<ReturnType<typeof spawnContainer>> | undefined;
    try {
      // As libvirt's LXC driver: without a hard limit, the container is held to its <memory>.
      const limits = { ...live.memtune };
      if (limits.hardLimit === UNLIMITED && live.memory > 0n) {
        limits.hardLimit = live.memory < limits.swapHardLimit ? live.memory : limits.swapHardLimit;
      }
      cgroup.tunables(MEMORY).apply(limits);
      const oomKillsAtStart = cgroup.tunables(MEMORY).oomKills();
      started = await spawnContainer(live, cgroup, this.store.logPath(live.name));
      const rt: ContainerRuntime = {
        cgroup,
        pid: started.pid,
        pidStartTime: started.pidStartTime,
        oomKillsAtStart,
        child: started.child,
      };
      // As libvirt's LXC driver: a container's id is its supervisor's pid.
      this.domains.markStarted(obj, DomainRunningReason.BOOTED, live, started.pid);
      this.#runtimes.set(obj, rt);
      await this.savers.saveLive(obj, live);
      this.#watch(obj, rt);
    } catch (e) {
      this.#runtimes.delete(obj);
      if (obj.active) this.domains.markStopped(obj, DomainShutoffReason.FAILED);
      await killAndRemove(cgroup, started?.pid ?? -1, started?.pidStartTime ?? '').catch(() => undefined);
      throw e;
    }
  }

  /** Reports the container's exit when it happens. */
  #watch(obj: DomainObject, rt: ContainerRuntime): void {
    const exited = (): void => {
      void this.locks.run(obj.uuid, () => this.#finish(obj, rt)).catch(() => undefined);
    };
    if (rt.child) {
      if (rt.child.exitCode !== null || rt.child.signalCode !== null) return exited();
      rt.onChildExit = exited;
      rt.child.once('exit', exited);
    } else {
      rt.timer = setInterval(() => {
        if (!isSameProcess(rt.pid, rt.pidStartTime)) exited();
      }, ADOPTED_POLL_MS);
      rt.timer.unref();
    }
  }

  #unwatch(rt: ContainerRuntime): void {
    if (rt.timer) clearInterval(rt.timer);
    if (rt.child && rt.onChildExit) rt.child.off('exit', rt.onChildExit);
  }

  /**
   * Tears a stopped (or stopping) container down: everything in its cgroup killed, the cgroup removed, the
   * status file deleted, the domain marked shut off with the reason, and the event emitted. Idempotent.
   */
  async #finish(obj: DomainObject, rt: ContainerRuntime): Promise<void> {
    if (this.#runtimes.get(obj) !== rt) return;
    this.#unwatch(rt);
    // Another connection on the same root may have torn this container down already and even started it
    // again under the same cgroup: only the connection whose pid the status file names may touch the cgroup.
    const onDisk = await this.store.readStatus(obj.name);
    const ours = this.store.writable && onDisk?.pid === rt.pid && onDisk.pidStartTime === rt.pidStartTime;
    const oom = ours && rt.cgroup.exists() && rt.cgroup.tunables(MEMORY).oomKills() > rt.oomKillsAtStart;
    if (ours) {
      await killAndRemove(rt.cgroup, rt.pid, rt.pidStartTime);
      await this.store.removeStatus(obj.name);
    }
    this.#runtimes.delete(obj);
    const [reason, detail] =
      rt.stopRequest === 'destroy'
        ? [DomainShutoffReason.DESTROYED, DomainEventStoppedDetail.DESTROYED]
        : oom
          ? [DomainShutoffReason.CRASHED, DomainEventStoppedDetail.CRASHED]
          : [DomainShutoffReason.SHUTDOWN, DomainEventStoppedDetail.SHUTDOWN];
    const ref = obj.ref();
    this.domains.markStopped(obj, reason);
    if (!this.#closed) this.emit({ kind: 'lifecycle', domain: { ...ref, id: -1 }, event: DomainEventType.STOPPED, detail });
  }

  #running(obj: DomainObject): ContainerRuntime {
    const rt = this.#runtimes.get(obj);
    if (!rt) throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is not running');
    return rt;
  }

  // ---- the driver table --------------------------------------------------------------------------------

  async close(): Promise<void> {
    this.#closed = true;
    for (const rt of this.#runtimes.values()) this.#unwatch(rt);
    // A status that cannot be saved (a full disk) is reported, never dropped in silence.
    const [failure] = await this.savers.flushDeferred();
    if (failure !== undefined) throw failure;
  }

  async getVersion(): Promise<number> {
    const [major = 0, minor = 0, micro = 0] = (readFileSync('/proc/sys/kernel/osrelease', 'utf8').match(/\d+/g) ?? []).map(Number);
    return major * 1_000_000 + minor * 1000 + micro;
  }

  async domainDestroy(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'lxcDomainDestroyFlags', D);
    await this.locked(ref, async (obj) => {
      const rt = this.#running(obj);
      rt.stopRequest = 'destroy';
      await this.#finish(obj, rt);
    });
  }

  async domainShutdown(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DOMAIN_SHUTDOWN_INITCTL | DOMAIN_SHUTDOWN_SIGNAL, 'lxcDomainShutdownFlags', D);
    await this.locked(ref, (obj) => {
      const rt = this.#running(obj);
      rt.stopRequest ??= 'shutdown';
      // The container's init is the supervisor's only child; SIGTERM is libvirt's signal for it.
      let init = rt.pid;
      try {
        const children = readFileSync(`/proc/${rt.pid}/task/${rt.pid}/children`, 'utf8').trim().split(/\s+/);
        if (children[0]) init = Number(children[0]);
      } catch {
        /* the supervisor is exiting; its own exit is then reported */
      }
      try {
        process.kill(init, 'SIGTERM');
      } catch (e) {
        throw new VirError(ErrorCode.OPERATION_FAILED, D, `cannot signal the init of domain '${obj.name}': ${(e as Error).message}`);
      }
    });
  }

  /** A container whose supervisor is gone is torn down (its end reported) before it is read. */
  protected override async settle(obj: DomainObject): Promise<void> {
    const rt = this.#runtimes.get(obj);
    if (!rt || isSameProcess(rt.pid, rt.pidStartTime)) return;
    await this.locks.run(obj.uuid, () => this.#finish(obj, rt));
  }

  async domainGetInfo(ref: DomainRef): Promise<DomainInfo> {
    const obj = await this.settled(ref);
    const rt = this.#runtimes.get(obj);
    const def = obj.current;
    return {
      state: obj.state,
      maxMem: def.memory,
      // Running: what the cgroup charges; inactive: the configured current memory, as libvirt reports.
      memory: rt ? (rt.cgroup.exists() ? rt.cgroup.tunables(MEMORY).usageKiB() : 0n) : def.currentMemory,
      nrVirtCpu: def.vcpu.count,
      cpuTime: rt ? cpuTimeNs(rt.cgroup.pids()) : 0n,
    };
  }

  async domainSetMemoryParameters(ref: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void> {
    await this.locked(ref, async (obj) => {
      const guarantee = requestedLiveGuarantee(obj, params, flags, this.supportedParams, D);
      const applied = await this.#admission.liveChange(obj, guarantee, () =>
        setMemoryParameters(obj, params, flags, this.memtuneContext(obj), 'lxcDomainSetMemoryParameters'),
      );
      if (!this.#closed) this.emit({ kind: 'tunable', domain: obj.ref(), params: applied });
    });
  }

  /** libvirt's LXC setMemory: live, the cgroup hard limit (and the balloon figure); config, `<currentMemory>`. */
  protected async setCurrentMemory(obj: DomainObject, kib: bigint, affect: ResolvedAffect): Promise<void> {
    const rt = affect.live ? this.#running(obj) : undefined;
    const live = affect.live ? obj.def('live') : undefined;
    const config = affect.config ? obj.def('config') : undefined;
    const plannedLimits = rt && live ? { ...knownLiveMemTune(live, rt.cgroup), hardLimit: kib } : undefined;
    const plan = rt && plannedLimits ? rt.cgroup.tunables(MEMORY).plan(plannedLimits, ['hardLimit']) : undefined;
    await commitDefinitionChange(
      obj,
      {
        ...(live ? { live: { ...live, currentMemory: kib } } : {}),
        ...(config ? { config: { ...config, currentMemory: kib } } : {}),
        ...(rt && plannedLimits ? { applyLive: () => rt.cgroup.tunables(MEMORY).apply(plannedLimits, plan) } : {}),
      },
      this.savers,
    );
  }
}
