import type { HostCgroups } from '../../cgroup/controller.js';
import { CPU, MEMORY } from '../../cgroup/controllers.js';
import { applyTogether } from '../../cgroup/tunables.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
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
import { GuaranteeAdmission, withGuarantee } from './admission.js';
import type { CgroupDriverSpec } from './cgroup-driver-spec.js';
import { removingCreatedOnFailure } from './domain-files.js';
import { DomainLocks } from './domain-lock.js';
import { cloneDef, DomainObjectList, type DomainObject } from './domain-objects.js';
import { refreshFromFiles, type KnownRun, type RefreshHost } from './refresh-from-files.js';
import type { DriverRootPaths } from './root-paths.js';
import { withHeldValues } from './live-recovery.js';
import { runningStatusRecord, statusCgroup, storeSavers, type StoreSavers } from './status-record.js';
import { DomainStore, type DomainStatusRecord } from './store.js';
import { TUNABLE_FAMILIES } from './tunable-families.js';
import { startTuneSteps } from './start-tunables.js';
import type { CpuTuneTargets } from './cpu-tune-cgroup.js';
import type { TunableFamily } from './tunable-family.js';

/** Why this process is stopping a running domain, if it is: its end is then expected, not a crash. */
export type StopRequest = 'destroy' | 'shutdown';

/** What the skeleton needs of every running domain, whatever runs it (a driver's runtime extends it). */
export interface DomainRun {
  /** The cgroup that holds the domain's processes. */
  cgroup: DomainCgroup;
  /** OOM kills counted in the cgroup at start; more at the end means the memory limit killed it. */
  oomKillsAtStart: number;
  stopRequest?: StopRequest;
}

/** How a domain ended by itself: its shutoff reason, the STOPPED event's detail, and why (for a log). */
export interface DomainEnd {
  reason: DomainShutoffReason;
  detail: DomainEventStoppedDetail;
  why?: string;
}

/** One definition or status file a root could not load (skipped, as libvirt skips it). */
export interface LoadError {
  file: string;
  error: unknown;
}

/**
 * Everything one root of a cgroup-backed driver holds (domains, running domains, locks, files, admission, event
 * sinks), shared by every connection a process opens on that root, as libvirtd's single driver is shared by its
 * clients. Across processes the per-domain locks ({@link DomainLocks}) and {@link refreshFromFiles} keep them
 * agreed. The lifecycle lives here once: start (admission → launch → mark started → save live state → follow),
 * the end (seen, requested or found at reconnect), reconnect and resync; a driver supplies only how its process
 * is launched, followed, found again and torn down (the abstract hooks below).
 *
 * @typeParam R the driver's record of a running domain.
 */
export abstract class CgroupDriverState<R extends DomainRun> {
  static readonly #byRoot = new Map<string, Promise<CgroupDriverState<DomainRun>>>();

  readonly domains: DomainObjectList;
  readonly runtimes = new Map<DomainObject, R>();
  readonly locks: DomainLocks;
  /** min_guarantee admission of this root's starts and live raises. */
  readonly admission: GuaranteeAdmission;
  /** The memory parameters its domains take: the cgroup's, plus min_guarantee ({@link withGuarantee}). */
  readonly supportedParams: readonly MemoryParamName[];
  readonly savers: StoreSavers;
  /** Definitions and status files found at load that could not be used (skipped, as libvirt skips them). */
  readonly loadErrors: LoadError[] = [];
  /** The tunable families a start writes into a new domain cgroup ({@link prepareCgroup}). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly families: readonly TunableFamily<any>[] = TUNABLE_FAMILIES;
  /** The connections' event sinks, each with how many connections gave it. */
  readonly #sinks = new Map<DomainEventSink, number>();

  protected constructor(
    readonly spec: CgroupDriverSpec,
    readonly paths: DriverRootPaths,
    readonly store: DomainStore,
    readonly controller: HostCgroups,
  ) {
    this.domains = new DomainObjectList({ errorDomain: spec.errorDomain });
    // The namespace is read at each acquisition: a store opened read-only is named once a writer shares it.
    this.locks = new DomainLocks({
      get namespace() {
        return store.lockNamespace;
      },
      errorDomain: spec.errorDomain,
    });
    this.admission = new GuaranteeAdmission({ controller, errorDomain: spec.errorDomain }, this.runtimes);
    this.supportedParams = withGuarantee(controller.filesOf(MEMORY).params);
    this.savers = storeSavers(
      store,
      this.locks,
      (obj, live) => {
        const rt = this.runtimes.get(obj);
        return rt && this.#status(obj, rt, live);
      },
      (obj) => this.refresh(obj),
    );
  }

  // ---- what a driver supplies ---------------------------------------------------------------------------

  /** The driver's domain XML parser (its `<domain type>` and what it requires). */
  abstract parseXML(xml: string, validate?: boolean): DomainDef;

  /**
   * Starts the domain's process inside `cgroup` (not created yet: {@link prepareCgroup} creates it and writes
   * the limits) with live definition `live`. On failure nothing it made may be left behind.
   */
  protected abstract launch(obj: DomainObject, live: DomainDef, cgroup: DomainCgroup): Promise<R>;

  /** The pid (and its start time) that is the running domain. */
  abstract processOf(rt: R): { pid: number; pidStartTime: string };

  /** True while the domain `rt` describes still runs (a reconnect adopts it only then). */
  protected abstract isAlive(rt: R): boolean;

  /** A runtime for the domain a status record describes, found at reconnect (alive or not: {@link isAlive} says). */
  protected abstract adopt(name: string, record: DomainStatusRecord, cgroup: DomainCgroup): R;

  /**
   * Starts following a running domain (just launched or adopted) and calls {@link ended} when its process ends
   * by itself (a child's exit, a monitor closing, a poll).
   */
  protected abstract follow(obj: DomainObject, rt: R): void | Promise<void>;

  /** Stops following `rt` (the domain keeps running: this process lets go of it). Idempotent. */
  protected abstract unfollow(rt: R): void | Promise<void>;

  /**
   * Makes sure `rt`'s processes are gone and removes what the run left (its cgroup, sockets). `end` says how it
   * ended when known (a driver may log it); undefined for a failed start and a run found dead at reconnect.
   */
  protected abstract teardown(rt: R, end?: DomainEnd): Promise<void>;

  /**
   * How a domain whose process ended by itself ({@link ended}) stopped; undefined when this process is stopping
   * it and the stopper reports the end. Default: shut down, or crashed when the memory limit killed it.
   */
  protected async howEnded(_obj: DomainObject, rt: R): Promise<DomainEnd | undefined> {
    return this.oomKilled(rt)
      ? { reason: DomainShutoffReason.CRASHED, detail: DomainEventStoppedDetail.CRASHED }
      : { reason: DomainShutoffReason.SHUTDOWN, detail: DomainEventStoppedDetail.SHUTDOWN };
  }

  /** The shutoff reason of a domain found dead at reconnect (`oom`: its memory limit killed it). */
  protected diedUnseen(oom: boolean): DomainShutoffReason {
    return oom ? DomainShutoffReason.CRASHED : DomainShutoffReason.UNKNOWN;
  }

  /** The domain id a start hands out; undefined: the next free one (LXC: the supervisor's pid). */
  protected idOf(_rt: R): number | undefined {
    return undefined;
  }

  /** What the status record keeps besides the skeleton's fields (a monitor socket, `extra`). */
  protected statusExtra(_rt: R): Partial<DomainStatusRecord> {
    return {};
  }

  /** The files a start creates that a failed start removes again: the domain's log by default. */
  startFiles(name: string): string[] {
    return [this.store.logPath(name)];
  }

  /** Every file a domain leaves in the root besides its definition and status: removed when it is undefined. */
  domainFiles(name: string): string[] {
    return this.startFiles(name);
  }

  // ---- helpers for the hooks ------------------------------------------------------------------------------

  /**
   * Creates `cgroup` and writes `def`'s values of every tunable family whose controller it spans, before any
   * process joins it. Returns the OOM kills the cgroup counted so far (for {@link DomainRun}). On failure the
   * cgroup is removed again (it holds no process yet); a cgroup that already holds processes is refused
   * untouched.
   */
  protected prepareCgroup(cgroup: DomainCgroup, def: DomainDef): number {
    cgroup.create();
    try {
      for (const family of this.families) {
        if (cgroup.placements.some((p) => p.spec === family.controller)) cgroup.tunables(family.controller).apply(family.of(def));
      }
      applyTogether(startTuneSteps(this.cpuTargets(cgroup, def), cgroup, def));
      return cgroup.tunables(MEMORY).oomKills();
    } catch (e) {
      try {
        cgroup.remove();
      } catch {
        /* reported by the error below; a crash's leftover is reused by the next start */
      }
      throw e;
    }
  }

  /**
   * Where a domain's scheduler values are enforced (cpu_shares and the bandwidths; see {@link CpuTuneTargets}),
   * or undefined when its cgroup spans no cpu controller. The default, LXC's: the domain's cgroup, the vCPU values
   * included. QEMU adds libvirt's thread groups.
   */
  cpuTargets(cgroup: DomainCgroup, _def: DomainDef): CpuTuneTargets | undefined {
    return cgroup.has(CPU) ? { domain: cgroup } : undefined;
  }

  /** True when the memory limit killed a process of `rt`'s cgroup since it started. */
  protected oomKilled(rt: R): boolean {
    return rt.cgroup.exists() && rt.cgroup.tunables(MEMORY).oomKills() > rt.oomKillsAtStart;
  }

  /**
   * Called by {@link follow}'s watcher when the domain's process ended by itself: the end is handled under the
   * domain's lock ({@link howEnded}, then {@link finish}). The promise settles once it is, and never rejects.
   */
  protected ended(obj: DomainObject, rt: R): Promise<void> {
    return this.locks.run(obj.uuid, () => this.#onEnd(obj, rt)).catch(() => undefined);
  }

  async #onEnd(obj: DomainObject, rt: R): Promise<void> {
    if (this.runtimes.get(obj) !== rt) return;
    const end = await this.howEnded(obj, rt);
    if (end) await this.finish(obj, rt, end);
  }

  // ---- the root ------------------------------------------------------------------------------------------

  /**
   * The state of `paths`' root, loading it on first use (`make` builds it on the opened store; then every
   * definition is loaded and every running domain reconnected). Every call must be paired with {@link release}.
   */
  static async acquireRoot<S extends CgroupDriverState<DomainRun>>(
    paths: DriverRootPaths,
    errorDomain: ErrorDomain,
    sink: DomainEventSink,
    readOnly: boolean,
    make: (store: DomainStore) => S | Promise<S>,
  ): Promise<S> {
    const key = paths.configDir;
    let pending = CgroupDriverState.#byRoot.get(key);
    if (!pending) {
      pending = CgroupDriverState.#load(paths, errorDomain, readOnly, make);
      CgroupDriverState.#byRoot.set(key, pending);
      pending.catch(() => CgroupDriverState.#byRoot.delete(key));
    }
    const state = (await pending) as S;
    if (!readOnly) await state.store.makeWritable();
    state.#sinks.set(sink, (state.#sinks.get(sink) ?? 0) + 1);
    return state;
  }

  static async #load<S extends CgroupDriverState<DomainRun>>(
    paths: DriverRootPaths,
    errorDomain: ErrorDomain,
    readOnly: boolean,
    make: (store: DomainStore) => S | Promise<S>,
  ): Promise<S> {
    const { store, configs, statuses, errors } = await DomainStore.open({
      configDir: paths.configDir,
      stateDir: paths.stateDir,
      errorDomain,
      readOnly,
    });
    const state = await make(store);
    for (const { path, error } of errors) state.loadErrors.push({ file: path, error });
    for (const { name, value } of configs) {
      try {
        state.domains.define(state.parseXML(value));
      } catch (error) {
        // As libvirt: one unreadable definition must not make every other domain unreachable.
        state.loadErrors.push({ file: store.configPath(name), error });
      }
    }
    for (const { name, value } of statuses) {
      try {
        await state.reconnect(name, value);
      } catch (error) {
        state.loadErrors.push({ file: store.statusPath(name), error });
      }
    }
    return state;
  }

  /**
   * Drops a connection's sink; the last one saves what is deferred, lets go of every running domain (they keep
   * running) and forgets the state, so the next open loads the root afresh.
   */
  async release(sink: DomainEventSink): Promise<void> {
    const uses = this.#sinks.get(sink);
    if (uses === undefined) return;
    if (uses > 1) this.#sinks.set(sink, uses - 1);
    else this.#sinks.delete(sink);
    if (this.#sinks.size > 0) return;
    CgroupDriverState.#byRoot.delete(this.paths.configDir);
    const [failure] = await this.savers.flushDeferred();
    for (const rt of this.runtimes.values()) {
      await this.unfollow(rt);
      rt.cgroup.closeFiles();
    }
    this.locks.releaseIdle();
    // A status that cannot be saved (a full disk) is reported, never dropped in silence.
    if (failure !== undefined) throw failure;
  }

  /** Sends `event` to every connection on this root. */
  emit(event: DomainEvent): void {
    for (const sink of this.#sinks.keys()) sink(event);
  }

  lifecycle(obj: DomainObject, event: DomainEventType, detail: number): void {
    this.emit({ kind: 'lifecycle', domain: obj.ref(), event, detail });
  }

  // ---- files ---------------------------------------------------------------------------------------------

  #status(obj: DomainObject, rt: R, live: DomainDef): DomainStatusRecord {
    const { pid, pidStartTime } = this.processOf(rt);
    return {
      ...runningStatusRecord(obj, live, {
        pid,
        pidStartTime,
        cgroup: rt.cgroup,
        cpu: this.cpuTargets(rt.cgroup, live),
        oomKillsAtStart: rt.oomKillsAtStart,
      }),
      ...this.statusExtra(rt),
    };
  }

  /** What {@link refreshFromFiles} needs of this root. */
  refreshHost(): RefreshHost {
    return {
      store: this.store,
      domains: this.domains,
      parseXML: (xml) => this.parseXML(xml),
      knownRun: (o) => this.knownRun(o),
      resync: (o, record) => this.resync(o, record),
    };
  }

  /**
   * Brings `obj` up to date with the files other processes may have changed; call it with the domain's lock held.
   * Nothing is read when this process has held the domain's cross-process lock without a break since `obj` was
   * last brought up to date ({@link DomainLocks.continuity}): every writer of a domain's files and cgroup holds
   * that lock, so no other process can have changed them, and this process's own changes are in `obj` already.
   */
  async refresh(obj: DomainObject): Promise<void> {
    if (this.isFresh(obj)) return;
    const held = this.locks.continuity(obj.uuid);
    await refreshFromFiles(obj, this.refreshHost());
    if (held !== undefined) this.#freshUnder.set(obj, held);
  }

  /**
   * True when {@link refresh} would read nothing: this process has held `obj`'s cross-process lock without a break
   * since it last brought `obj` up to date. Lets a caller skip the call (and its promise) on every live change.
   */
  isFresh(obj: DomainObject): boolean {
    const held = this.locks.continuity(obj.uuid);
    return held !== undefined && this.#freshUnder.get(obj) === held;
  }

  /** For each domain, the cross-process lock it was last brought up to date under ({@link refresh}). */
  readonly #freshUnder = new WeakMap<DomainObject, object>();

  // ---- running domains -----------------------------------------------------------------------------------

  /** The process and cgroups this process knows `obj` runs as; undefined when it thinks `obj` is not running. */
  knownRun(obj: DomainObject): KnownRun | undefined {
    const rt = this.runtimes.get(obj);
    return rt && { ...this.processOf(rt), cgroup: rt.cgroup, cpu: obj.live && this.cpuTargets(rt.cgroup, obj.live) };
  }

  /**
   * Records `rt` as `obj`'s run. Its cgroup keeps the files a live change writes open from now on (a live change is
   * then one write); `#forget` closes them, on every way a run is let go.
   */
  #track(obj: DomainObject, rt: R): void {
    this.runtimes.set(obj, rt);
    rt.cgroup.keepFilesOpen();
  }

  /** Forgets `obj`'s run `rt` and closes its cgroup's open files. */
  #forget(obj: DomainObject, rt: R): void {
    this.runtimes.delete(obj);
    rt.cgroup.closeFiles();
  }

  /** The runtime of a running domain, or OPERATION_INVALID `domain is not running`. */
  running(obj: DomainObject): R {
    const rt = this.runtimes.get(obj);
    if (!rt) throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is not running');
    return rt;
  }

  /** Starts `obj` from its persistent definition (or its transient live one); call it with its lock held. */
  async start(obj: DomainObject): Promise<void> {
    if (this.runtimes.has(obj)) {
      throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is already running');
    }
    const live = cloneDef(obj.config ?? obj.def('live'));
    await this.admission.start(obj, live.memtune.minGuarantee, () =>
      removingCreatedOnFailure(this.startFiles(live.name), () => this.#launch(obj, live)),
    );
    this.lifecycle(obj, DomainEventType.STARTED, DomainEventStartedDetail.BOOTED);
  }

  /** Launches, marks started, saves the live state and follows; everything is undone on failure. */
  async #launch(obj: DomainObject, live: DomainDef): Promise<void> {
    const rt = await this.launch(obj, live, this.controller.domain(live.name, this.paths.cgroupDriverName));
    try {
      this.domains.markStarted(obj, DomainRunningReason.BOOTED, live, this.idOf(rt));
      this.#track(obj, rt);
      await this.savers.saveLive(obj, live);
      await this.follow(obj, rt);
    } catch (e) {
      this.#forget(obj, rt);
      if (obj.active) this.domains.markStopped(obj, DomainShutoffReason.FAILED);
      rt.stopRequest = 'destroy';
      await this.unfollow(rt);
      await this.teardown(rt).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Tears a stopped (or stopping) domain down, marks it shut off with `end.reason` and emits STOPPED with
   * `end.detail`. Only the process whose run the status file names touches the cgroup and the file: another
   * connection on the same root may have torn it down already and even started it again. Idempotent.
   */
  async finish(obj: DomainObject, rt: R, end: DomainEnd): Promise<void> {
    if (this.runtimes.get(obj) !== rt) return;
    await this.unfollow(rt);
    const { pid, pidStartTime } = this.processOf(rt);
    const onDisk = this.store.writable ? await this.store.readStatus(obj.name) : undefined;
    if (onDisk?.pid === pid && onDisk.pidStartTime === pidStartTime) {
      await this.teardown(rt, end);
      await this.store.removeStatus(obj.name);
    }
    this.#forget(obj, rt);
    const ref = obj.ref();
    this.domains.markStopped(obj, end.reason);
    this.emit({ kind: 'lifecycle', domain: { ...ref, id: -1 }, event: DomainEventType.STOPPED, detail: end.detail });
  }

  /**
   * Destroys a running domain: `kill` ends its process (default: nothing, {@link teardown} does it), then it is
   * torn down as DESTROYED. Call it with the lock held.
   */
  async destroy(obj: DomainObject, kill?: (rt: R) => Promise<unknown>): Promise<void> {
    const rt = this.running(obj);
    rt.stopRequest = 'destroy';
    try {
      await kill?.(rt);
    } catch (e) {
      delete rt.stopRequest;
      throw e;
    }
    await this.finish(obj, rt, { reason: DomainShutoffReason.DESTROYED, detail: DomainEventStoppedDetail.DESTROYED });
  }

  /** A domain recorded as running: adopt it if it still runs, else clean up after it and say how it ended. */
  async reconnect(name: string, status: DomainStatusRecord): Promise<void> {
    let live = this.parseXML(status.liveXml);
    const cgroup = statusCgroup(this.controller, name, this.paths.cgroupDriverName, status);
    const rt = this.adopt(name, status, cgroup);
    let obj = this.domains.findByUUID(live.uuid);
    if (this.isAlive(rt)) {
      // A live change whose status save was deferred, or lost with the process that made it.
      if (cgroup.exists()) live = withHeldValues(live, status, { cgroup, cpu: this.cpuTargets(cgroup, live) });
      obj ??= this.domains.addTransient(live);
      // The restored id moves the id counter, so no later start is handed the same one.
      this.domains.markStarted(obj, status.reason, live, status.id);
      this.#track(obj, rt);
      await this.follow(obj, rt);
      return;
    }
    // It died while nobody watched. The cgroup still tells whether its memory limit killed it.
    const oom = this.oomKilled(rt);
    // A read-only connection never writes: the next read-write one cleans up.
    if (this.store.writable) {
      await this.teardown(rt);
      await this.store.removeStatus(name);
    }
    if (obj) {
      obj.state = DomainState.SHUTOFF;
      obj.reason = this.diedUnseen(oom);
    }
  }

  /**
   * Another process stopped or started `obj` (its status file names another run): let go of the run this
   * process knew (the teardown was the other process's), then adopt `record`'s or clean up after it.
   */
  async resync(obj: DomainObject, record: DomainStatusRecord | undefined): Promise<void> {
    const rt = this.runtimes.get(obj);
    if (rt) {
      await this.unfollow(rt);
      this.#forget(obj, rt);
      this.domains.markStopped(obj, DomainShutoffReason.UNKNOWN);
    }
    if (record) await this.reconnect(obj.name, record);
  }
}
