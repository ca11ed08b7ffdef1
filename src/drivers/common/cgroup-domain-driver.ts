import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { MEMORY } from '../../cgroup/controllers.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import type { DomainInfo, DomainRef, DomainStateInfo, HypervisorDriver, SchedulerType } from '../../driver.js';
import { publicName, type DriverEntry } from '../../entry-points.js';
import { ErrorCode, ErrorDomain, VirError, checkFlags } from '../../errors.js';
import { DomainEventDefinedDetail, DomainEventType, DomainEventUndefinedDetail, type DomainEventSink } from '../../events.js';
import {
  DOMAIN_AFFECT_CONFIG,
  DOMAIN_AFFECT_LIVE,
  DOMAIN_DEFINE_VALIDATE,
  DOMAIN_MEM_MAXIMUM,
  DOMAIN_XML_INACTIVE,
  DOMAIN_XML_MIGRATABLE,
  DOMAIN_XML_SECURE,
  DOMAIN_XML_UPDATE_CPU,
  TYPED_PARAM_STRING_OKAY,
} from '../../flags.js';
import type { MemoryParamName } from '../../memory/params.js';
import { memoryParamCount } from '../../memory/validate.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import { requestedLiveGuarantee } from './admission.js';
import { resolveAffect, resolveAffectOne, type ResolvedAffect } from './affect.js';
import type { CgroupDriverSpec } from './cgroup-driver-spec.js';
import type { CgroupDriverState, DomainRun, LoadError } from './cgroup-driver-state.js';
import { commitDefinitionChange, type DefinitionSavers } from './definition-change.js';
import { ROOT_LOCK_KEY, type DomainLocks } from './domain-lock.js';
import type { DomainObject, DomainObjectList } from './domain-objects.js';
import { removeDomainFiles } from './domain-files.js';
import { formatDriverDomainXML } from './domain-xml.js';
import { cpuTimeNs } from './cpu-time.js';
import { MEMORY_TUNABLES } from './memory-family.js';
import { knownLiveMemTune, type MemtuneContext } from './memtune-apply.js';
import { refreshFromFiles } from './refresh-from-files.js';
import { getBlkioParameters, setBlkioParameters } from './blkiotune-apply.js';
import { cgroupLiveScheduler, getSchedulerParameters, getSchedulerType, setSchedulerParameters, type SchedulerContext } from './scheduler-apply.js';
import type { DomainStore } from './store.js';
import { liveValues, tuneParameters, type TuneContext, type TunableFamily } from './tunable-family.js';

export type { CgroupDriverSpec } from './cgroup-driver-spec.js';

/**
 * One connection to a cgroup-backed driver (LXC, QEMU, the next one): the driver table over its root's shared
 * {@link CgroupDriverState}. Lookups, listing, define, undefine, start, destroy, state, XML, setMemory and the
 * tunable families (memory: {@link MEMORY_TUNABLES}) live here once; a subclass adds the entries that are its
 * own (shutdown, QEMU's balloon) and overrides what its hypervisor does differently ({@link setCurrentMemory},
 * {@link afterLiveTune}, {@link domainGetInfo}, {@link getVersion}).
 */
export class CgroupDomainDriver<R extends DomainRun = DomainRun, S extends CgroupDriverState<R> = CgroupDriverState<R>>
  implements HypervisorDriver
{
  readonly type: string;
  #closed = false;

  constructor(
    protected readonly state: S,
    private readonly sink: DomainEventSink,
  ) {
    this.type = state.spec.type;
  }

  protected get spec(): CgroupDriverSpec {
    return this.state.spec;
  }
  protected get domains(): DomainObjectList {
    return this.state.domains;
  }
  protected get locks(): DomainLocks {
    return this.state.locks;
  }
  protected get store(): DomainStore {
    return this.state.store;
  }
  protected get savers(): DefinitionSavers {
    return this.state.savers;
  }
  /** The memory parameters the driver takes. */
  protected get supportedParams(): readonly MemoryParamName[] {
    return this.state.supportedParams;
  }
  /** Definitions and status files the root could not load (skipped, as libvirt skips them). */
  get loadErrors(): readonly LoadError[] {
    return this.state.loadErrors;
  }

  /** The cgroup of a running domain; undefined when it does not run. */
  protected liveCgroup(obj: DomainObject): DomainCgroup | undefined {
    return this.state.runtimes.get(obj)?.cgroup;
  }

  /**
   * Runs `task` on the domain behind `ref` with its lock held (the object is looked up again inside), once the
   * object is up to date with its files ({@link CgroupDriverState.refresh}).
   */
  protected locked<T>(ref: DomainRef, task: (obj: DomainObject) => Promise<T> | T): Promise<T> {
    const obj = this.domains.fromRef(ref);
    return this.locks.run(obj.uuid, async () => {
      const current = this.domains.fromRef(ref);
      if (!this.state.isFresh(current)) await this.state.refresh(current);
      // Awaited, not returned: an async function that returns a promise takes two more turns to settle.
      return await task(current);
    });
  }

  /**
   * Before a read: a domain whose process has died but whose end this process has not handled yet (the exit
   * event is queued, or an adopted domain's poll has not come round) is handled now, so it reads as shut off
   * rather than as running with nothing behind it. The default does nothing.
   */
  protected settle(_obj: DomainObject): Promise<void> {
    return Promise.resolve();
  }

  /** The object behind `ref`, {@link settle}d. */
  protected async settled(ref: DomainRef): Promise<DomainObject> {
    await this.settle(this.domains.fromRef(ref));
    return this.domains.fromRef(ref);
  }

  /**
   * The object behind `ref` for a read of its definitions: {@link settle}d, and with what other processes saved
   * since taken in (without the lock: files are replaced atomically, and a read adopts or forgets no run).
   */
  protected async current(ref: DomainRef): Promise<DomainObject> {
    const obj = await this.settled(ref);
    await refreshFromFiles(obj, { ...this.state.refreshHost(), resync: () => Promise.resolve() });
    return this.domains.fromRef(ref);
  }

  /**
   * With the root's lock held: takes in the persistent definition another process saved under `name` since
   * this one loaded the root, or drops a domain another process undefined, so define sees every name in use.
   */
  async #syncName(name: string): Promise<void> {
    const known = this.domains.findByName(name);
    if (known) {
      await this.state.refresh(known).catch((e: unknown) => {
        if (!(e instanceof VirError && e.code === ErrorCode.NO_DOMAIN)) throw e;
      });
      return;
    }
    const { text } = await this.store.readFresh(this.store.configPath(name));
    if (text !== undefined) this.domains.define(this.state.parseXML(text));
  }

  /** What the shared tuning path ({@link setTunableParameters}) needs for `obj`, with the names it accepts. */
  protected tuneContext<N extends string>(obj: DomainObject, supported: readonly N[]): TuneContext<N> {
    const savers = this.state.savers;
    // Named, not spread: this runs on every live change, and spreading the savers object is the slow path.
    return {
      saveLive: savers.saveLive,
      saveConfig: savers.saveConfig,
      deferLive: savers.deferLive,
      errorDomain: this.spec.errorDomain,
      supported,
      cgroup: this.liveCgroup(obj),
    };
  }

  /** {@link tuneContext} for memory. */
  protected memtuneContext(obj: DomainObject): MemtuneContext {
    return this.tuneContext(obj, this.supportedParams);
  }

  /**
   * The shared tuning path of one family, with `obj`'s lock held: typed parameters → the family's validation →
   * definition change → controller writes ({@link setTunableParameters}), then {@link afterLiveTune} when the
   * domain runs, then the `tunable` event with the parameters applied.
   *
   * @param fn the driver function flag errors name (`qemuDomainSetMemoryParameters`).
   */
  protected async tuneLocked<T extends object, N extends string>(
    family: TunableFamily<T, N>,
    obj: DomainObject,
    params: readonly TypedParameterInput[],
    flags: number,
    supported: readonly N[],
    fn: string,
  ): Promise<void> {
    const { applied, before } = await tuneParameters(family, obj, params, flags, this.tuneContext(obj, supported), fn);
    if (before && this.liveCgroup(obj)) {
      // Awaited only when there is something to wait for: a tick less on every live change of a driver without it.
      const after = this.afterLiveTune(obj, family as TunableFamily<T>, before);
      if (after) await after;
    }
    this.state.emit({ kind: 'tunable', domain: obj.ref(), params: applied });
  }

  /**
   * After a family's change on a running domain (`before`: its live values as they were): what the hypervisor
   * must follow up with. Throwing here fails the call; the override then puts the values back first (QEMU:
   * RLIMIT_MEMLOCK follows hard_limit). The default does nothing (and returns no promise).
   */
  protected afterLiveTune<T extends object>(_obj: DomainObject, _family: TunableFamily<T>, _before: T): Promise<void> | void {
    return undefined;
  }

  /** A family's values one get call reports: live, as the cgroup holds them, or the persistent ones. */
  protected async tunedValues<T extends object>(family: TunableFamily<T>, ref: DomainRef, flags: number, fn: string): Promise<T> {
    checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY, fn, this.spec.errorDomain);
    const obj = await this.current(ref);
    return resolveAffectOne(obj, flags) === 'live' ? liveValues(family, obj.def('live'), this.liveCgroup(obj)) : family.of(obj.def('config'));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.state.release(this.sink);
  }

  /** The kernel's version (major * 1,000,000 + minor * 1,000 + micro), as libvirt's LXC driver reports it. */
  async getVersion(): Promise<number> {
    const [major = 0, minor = 0, micro = 0] = (readFileSync('/proc/sys/kernel/osrelease', 'utf8').match(/\d+/g) ?? []).map(Number);
    return major * 1_000_000 + minor * 1000 + micro;
  }

  async getHostname(): Promise<string> {
    return hostname();
  }

  async lookupDomainByName(name: string): Promise<DomainRef> {
    return this.domains.lookupByName(name).ref();
  }

  async lookupDomainByUUID(uuid: string): Promise<DomainRef> {
    return this.domains.lookupByUUID(uuid).ref();
  }

  async lookupDomainByID(id: number): Promise<DomainRef> {
    return this.domains.lookupByID(id).ref();
  }

  async listAllDomains(flags: number): Promise<DomainRef[]> {
    return this.domains.listAll(flags, this.spec.fn.listAll).map((o) => o.ref());
  }

  async defineDomainXML(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, DOMAIN_DEFINE_VALIDATE, this.spec.fn.defineXML, this.spec.errorDomain);
    const def = this.state.parseXML(xml, (flags & DOMAIN_DEFINE_VALIDATE) !== 0);
    return this.#rootLocked(def.uuid, async () => {
      await this.#syncName(def.name);
      this.domains.checkDefinable(def);
      await this.store.saveConfig(def.name, formatDriverDomainXML(def, true));
      const { obj, created } = this.domains.define(def);
      this.state.lifecycle(obj, DomainEventType.DEFINED, created ? DomainEventDefinedDetail.ADDED : DomainEventDefinedDetail.UPDATED);
      return obj.ref();
    });
  }

  async createDomainXML(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, 0, this.spec.fn.createXML, this.spec.errorDomain);
    const def = this.state.parseXML(xml);
    return this.#rootLocked(def.uuid, async () => {
      await this.#syncName(def.name);
      const obj = this.domains.addTransient(def);
      try {
        await this.state.start(obj);
      } catch (e) {
        this.domains.remove(obj);
        throw e;
      }
      return obj.ref();
    });
  }

  async domainCreate(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, this.spec.fn.create, this.spec.errorDomain);
    await this.locked(ref, (obj) => this.state.start(obj));
  }

  async domainUndefine(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, this.spec.undefineFlags, this.spec.fn.undefine, this.spec.errorDomain);
    await this.locks.run(ROOT_LOCK_KEY, () => this.#undefineLocked(ref));
  }

  #undefineLocked(ref: DomainRef): Promise<void> {
    return this.locked(ref, async (obj) => {
      if (!obj.persistent) {
        throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, this.spec.undefineTransientMessage);
      }
      await this.store.removeConfig(obj.name);
      // Everything of an inactive domain goes with it (a running one keeps its logs until it stops).
      if (!obj.active) await removeDomainFiles(this.state.domainFiles(obj.name)).catch(() => undefined);
      this.state.lifecycle(obj, DomainEventType.UNDEFINED, DomainEventUndefinedDetail.REMOVED);
      if (obj.active) obj.config = undefined;
      else this.domains.remove(obj);
    });
  }

  /** Runs `task` with the root's lock and then the lock of `uuid` held (define, undefine: names and UUIDs change). */
  #rootLocked<T>(uuid: string, task: () => Promise<T>): Promise<T> {
    return this.locks.run(ROOT_LOCK_KEY, () => this.locks.run(uuid, task));
  }

  /** The live definition of a running domain; with INACTIVE (or when it does not run), the persistent one. */
  async domainGetXMLDesc(ref: DomainRef, flags: number): Promise<string> {
    checkFlags(
      flags,
      DOMAIN_XML_SECURE | DOMAIN_XML_INACTIVE | DOMAIN_XML_UPDATE_CPU | DOMAIN_XML_MIGRATABLE,
      this.spec.fn.getXMLDesc,
      this.spec.errorDomain,
    );
    const { def, inactive } = (await this.current(ref)).xmlDesc((flags & DOMAIN_XML_INACTIVE) !== 0);
    return formatDriverDomainXML(def, inactive);
  }

  async domainGetState(ref: DomainRef, flags: number): Promise<DomainStateInfo> {
    checkFlags(flags, 0, this.spec.fn.getState, this.spec.errorDomain);
    const obj = await this.settled(ref);
    return { state: obj.state, reason: obj.reason };
  }

  async domainIsActive(ref: DomainRef): Promise<boolean> {
    return (await this.settled(ref)).active;
  }

  async domainIsPersistent(ref: DomainRef): Promise<boolean> {
    return this.domains.fromRef(ref).persistent;
  }

  /**
   * virDomainSetMemoryFlags: with MEM_MAXIMUM the persistent `<memory>` (`<currentMemory>` lowered with it; a
   * running domain's cannot change), else {@link setCurrentMemory} once `kib` is known to fit under `<memory>`.
   */
  async domainSetMemoryFlags(ref: DomainRef, kib: bigint, flags: number): Promise<void> {
    const D = this.spec.errorDomain;
    checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG | DOMAIN_MEM_MAXIMUM, this.spec.fn.setMemoryFlags, D);
    if (typeof kib !== 'bigint' || kib <= 0n) {
      throw new VirError(ErrorCode.INVALID_ARG, D, `memory must be a positive bigint of KiB, not ${String(kib)}`);
    }
    await this.locked(ref, async (obj) => {
      const affect = resolveAffect(obj, flags);
      if ((flags & DOMAIN_MEM_MAXIMUM) !== 0) {
        if (affect.live) throw new VirError(ErrorCode.OPERATION_INVALID, D, this.spec.maxMemoryActiveMessage);
        const config = obj.def('config');
        const next = { ...config, memory: kib, currentMemory: config.currentMemory < kib ? config.currentMemory : kib };
        await commitDefinitionChange(obj, { config: next }, this.savers);
        return;
      }
      for (const which of ['live', 'config'] as const) {
        if (affect[which] && kib > obj.def(which).memory) {
          throw new VirError(ErrorCode.INVALID_ARG, D, this.spec.memoryAboveMaxMessage);
        }
      }
      await this.setCurrentMemory(obj, kib, affect);
    });
  }

  async domainGetMemoryParameters(ref: DomainRef, flags: number): Promise<TypedParameter[]> {
    const memtune = await this.tunedValues(MEMORY_TUNABLES, ref, flags, this.spec.fn.getMemoryParameters);
    return MEMORY_TUNABLES.toParams(memtune, this.supportedParams);
  }

  async domainGetMemoryParameterCount(ref: DomainRef, flags: number): Promise<number> {
    return memoryParamCount(await this.tunedValues(MEMORY_TUNABLES, ref, flags, this.spec.fn.getMemoryParameters), this.supportedParams);
  }

  /** virDomainSetMemoryParameters: min_guarantee admission around the shared tuning path ({@link tuneLocked}). */
  async domainSetMemoryParameters(ref: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void> {
    // Not async: the promise of the change itself is the task's (locked turns a throw into a rejection).
    await this.locked(ref, (obj) => {
      const guarantee = requestedLiveGuarantee(obj, params, flags, this.supportedParams, this.spec.errorDomain);
      return this.state.admission.liveChange(obj, guarantee, () =>
        this.tuneLocked(MEMORY_TUNABLES, obj, params, flags, this.supportedParams, this.spec.fn.setMemoryParameters),
      );
    });
  }

  /**
   * setMemoryFlags without MEM_MAXIMUM, after the shared checks (`kib` is at most `<memory>` of every definition
   * `affect` names): live, the cgroup hard limit (libvirt's LXC; QEMU overrides it with the balloon); config,
   * `<currentMemory>`.
   */
  protected async setCurrentMemory(obj: DomainObject, kib: bigint, affect: ResolvedAffect): Promise<void> {
    const rt = affect.live ? this.state.running(obj) : undefined;
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

  // ---- scheduler ---------------------------------------------------------------------------------------------

  /** The scheduler entries' context; NO_SUPPORT (as the connection says for a missing entry) without them. */
  #scheduler(obj: DomainObject, entry: DriverEntry): { ctx: SchedulerContext; getFn: string; setFn: string } {
    const sched = this.spec.scheduler;
    if (!sched) throw new VirError(ErrorCode.NO_SUPPORT, ErrorDomain.DOMAIN, publicName(entry));
    const rt = this.state.runtimes.get(obj);
    const targets = rt && obj.live ? this.state.cpuTargets(rt.cgroup, obj.live) : undefined;
    const savers = this.savers;
    const ctx: SchedulerContext = {
      saveLive: savers.saveLive,
      saveConfig: savers.saveConfig,
      ...(savers.deferLive ? { deferLive: savers.deferLive } : {}),
      errorDomain: this.spec.errorDomain,
      supported: sched.params,
      live: targets && cgroupLiveScheduler(targets),
    };
    return { ctx, getFn: sched.getFn, setFn: sched.setFn };
  }

  async domainGetSchedulerType(ref: DomainRef): Promise<SchedulerType> {
    const obj = await this.settled(ref);
    return getSchedulerType(obj, this.#scheduler(obj, 'domainGetSchedulerType').ctx);
  }

  async domainGetSchedulerParameters(ref: DomainRef, flags: number): Promise<TypedParameter[]> {
    const obj = await this.current(ref);
    const { ctx, getFn } = this.#scheduler(obj, 'domainGetSchedulerParameters');
    return getSchedulerParameters(obj, flags, ctx, getFn);
  }

  async domainSetSchedulerParameters(ref: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void> {
    await this.locked(ref, async (obj) => {
      const { ctx, setFn } = this.#scheduler(obj, 'domainSetSchedulerParameters');
      const applied = await setSchedulerParameters(obj, params, flags, ctx, setFn);
      if (applied.length > 0) this.state.emit({ kind: 'tunable', domain: obj.ref(), params: applied });
    });
  }

  // ---- blkio ---------------------------------------------------------------------------------------------------

  /** The blkio entries' function names; NO_SUPPORT (as the connection says for a missing entry) without them. */
  #blkio(entry: DriverEntry): { getFn: string; setFn: string } {
    if (!this.spec.blkio) throw new VirError(ErrorCode.NO_SUPPORT, ErrorDomain.DOMAIN, publicName(entry));
    return this.spec.blkio;
  }

  async domainGetBlkioParameters(ref: DomainRef, flags: number): Promise<TypedParameter[]> {
    const { getFn } = this.#blkio('domainGetBlkioParameters');
    const obj = await this.current(ref);
    return getBlkioParameters(obj, flags, { errorDomain: this.spec.errorDomain, cgroup: this.liveCgroup(obj) }, getFn);
  }

  async domainSetBlkioParameters(ref: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void> {
    const { setFn } = this.#blkio('domainSetBlkioParameters');
    await this.locked(ref, async (obj) => {
      const applied = await setBlkioParameters(obj, params, flags, this.tuneContext(obj, []), setFn);
      if (applied.length > 0) this.state.emit({ kind: 'tunable', domain: obj.ref(), params: applied });
    });
  }

  // ---- running domains -----------------------------------------------------------------------------------

  /** Destroys a running domain ({@link kill} ends its process), torn down as DESTROYED. */
  async domainDestroy(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, this.spec.destroyFlags, this.spec.fn.destroy, this.spec.errorDomain);
    await this.locked(ref, (obj) => this.state.destroy(obj, (rt) => this.kill(rt, flags)));
  }

  /** How destroy ends a domain's process (`flags`: destroy's); the default leaves it to the teardown (cgroup kill). */
  protected kill(_rt: R, _flags: number): Promise<unknown> {
    return Promise.resolve();
  }

  /** Running: what the cgroup charges and the CPU time of its processes; inactive: the configured figures. */
  async domainGetInfo(ref: DomainRef): Promise<DomainInfo> {
    const obj = await this.settled(ref);
    const rt = this.state.runtimes.get(obj);
    const def = obj.current;
    return {
      state: obj.state,
      maxMem: def.memory,
      memory: rt ? (rt.cgroup.exists() ? rt.cgroup.tunables(MEMORY).usageKiB() : 0n) : def.currentMemory,
      nrVirtCpu: def.vcpu.count,
      cpuTime: rt ? cpuTimeNs(rt.cgroup.pids()) : 0n,
    };
  }
}
