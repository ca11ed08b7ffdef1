import { hostname } from 'node:os';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import type { DomainRef, DomainStateInfo, HypervisorDriver } from '../../driver.js';
import { ErrorCode, ErrorDomain, VirError, checkFlags } from '../../errors.js';
import { DomainEventDefinedDetail, DomainEventType, DomainEventUndefinedDetail } from '../../events.js';
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
import { memTuneToParams, memoryParamCount } from '../../memory/validate.js';
import type { TypedParameter } from '../../typed-params/types.js';
import type { DomainDef, MemTune } from '../../xml/domain-def.js';
import { resolveAffect, resolveAffectOne, type ResolvedAffect } from './affect.js';
import { commitDefinitionChange, type DefinitionSavers } from './definition-change.js';
import { ROOT_LOCK_KEY, type DomainLocks } from './domain-lock.js';
import type { DomainObject, DomainObjectList } from './domain-objects.js';
import { removeDomainFiles } from './domain-files.js';
import { formatDriverDomainXML } from './domain-xml.js';
import { liveMemTune, type MemtuneContext } from './memtune-apply.js';
import { refreshFromFiles, type KnownRun, type RefreshHost } from './refresh-from-files.js';
import type { DomainStatusRecord, DomainStore } from './store.js';

/** Where the drivers built on {@link CgroupDomainDriver} differ in words: libvirt's names and messages. */
export interface CgroupDriverSpec {
  /** The driver's error domain (LXC, QEMU). */
  errorDomain: ErrorDomain;
  /** The libvirt driver functions that flag errors name, e.g. `qemuConnectListAllDomains`. */
  fn: {
    listAll: string;
    defineXML: string;
    createXML: string;
    create: string;
    undefine: string;
    getXMLDesc: string;
    getState: string;
    getMemoryParameters: string;
    setMemoryFlags: string;
  };
  /** The flags undefine accepts. */
  undefineFlags: number;
  /** The words libvirt's driver refuses to undefine a transient domain with. */
  undefineTransientMessage: string;
  /** The words libvirt's driver refuses setMemoryFlags(MEM_MAXIMUM) on a running domain with. */
  maxMemoryActiveMessage: string;
  /** The words libvirt's driver refuses a current memory above `<memory>` with. */
  memoryAboveMaxMessage: string;
}

/**
 * What the LXC and QEMU drivers share: domains kept in a {@link DomainObjectList}, definitions saved in a
 * {@link DomainStore}, one lock per domain, limits enforced through a memory cgroup. A subclass says what
 * starting means, how its XML is read, and where its events go; lookups, listing, define, undefine,
 * state, XML and the memory-parameter getters are the same for both and live here.
 */
export abstract class CgroupDomainDriver implements HypervisorDriver {
  abstract readonly type: string;
  protected abstract readonly spec: CgroupDriverSpec;
  protected abstract readonly domains: DomainObjectList;
  protected abstract readonly locks: DomainLocks;
  protected abstract readonly store: DomainStore;
  protected abstract readonly savers: DefinitionSavers;
  /** The memory parameters the driver takes. */
  protected abstract readonly supportedParams: readonly MemoryParamName[];

  /** The driver's domain XML parser (its `<domain type>` and what it requires). */
  protected abstract parseXML(xml: string, validate?: boolean): DomainDef;
  /** Emits a lifecycle event for `obj` to the connection(s). */
  protected abstract lifecycle(obj: DomainObject, event: DomainEventType, detail: number): void;
  /** Starts `obj` (called with its lock held); nothing may be left behind on failure. */
  protected abstract start(obj: DomainObject): Promise<void>;
  /** The memory cgroup of a running domain; undefined when it does not run. */
  protected abstract liveCgroup(obj: DomainObject): DomainCgroup | undefined;
  /**
   * setMemoryFlags without MEM_MAXIMUM, after the shared checks (`kib` is at most `<memory>` of every definition
   * `affect` names): the driver's idea of a running domain's current memory, and `<currentMemory>` in config.
   */
  protected abstract setCurrentMemory(obj: DomainObject, kib: bigint, affect: ResolvedAffect): Promise<void>;
  /** The run this process knows of `obj` (its process and cgroup); undefined when it thinks `obj` is not running. */
  protected abstract knownRun(obj: DomainObject): KnownRun | undefined;
  /**
   * The status file names another run of `obj` than this process knows (another process stopped or started
   * it): forget the old run without tearing anything down (that was the other process's job), then adopt
   * `record`'s run if it still runs, or clean up after it. Called with the domain's lock held.
   */
  protected abstract resync(obj: DomainObject, record: DomainStatusRecord | undefined): Promise<void>;

  /**
   * Runs `task` on the domain behind `ref` with its lock held (the object is looked up again inside), once the
   * object is up to date with its files ({@link refresh}).
   */
  protected locked<T>(ref: DomainRef, task: (obj: DomainObject) => Promise<T> | T): Promise<T> {
    const obj = this.domains.fromRef(ref);
    return this.locks.run(obj.uuid, async () => {
      const current = this.domains.fromRef(ref);
      await this.refresh(current);
      return task(current);
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
    await refreshFromFiles(obj, { ...this.#refreshHost(), resync: () => Promise.resolve() });
    return this.domains.fromRef(ref);
  }

  /**
   * Brings `obj` up to date with the files other processes may have changed ({@link refreshFromFiles}). Call
   * it with the domain's lock held, before computing a change.
   */
  protected refresh(obj: DomainObject): Promise<void> {
    return refreshFromFiles(obj, this.#refreshHost());
  }

  #refreshHost(): RefreshHost {
    return {
      store: this.store,
      domains: this.domains,
      parseXML: (xml) => this.parseXML(xml),
      knownRun: (o) => this.knownRun(o),
      resync: (o, record) => this.resync(o, record),
    };
  }

  /**
   * With the root's lock held: takes in the persistent definition another process saved under `name` since
   * this one loaded the root, or drops a domain another process undefined, so define sees every name in use.
   */
  async #syncName(name: string): Promise<void> {
    const known = this.domains.findByName(name);
    if (known) {
      await this.refresh(known).catch((e: unknown) => {
        if (!(e instanceof VirError && e.code === ErrorCode.NO_DOMAIN)) throw e;
      });
      return;
    }
    const { text } = await this.store.readFresh(this.store.configPath(name));
    if (text !== undefined) this.domains.define(this.parseXML(text));
  }

  /** What the shared memtune path ({@link setMemoryParameters}) needs for `obj`. */
  protected memtuneContext(obj: DomainObject): MemtuneContext {
    const savers = this.savers;
    // Named, not spread: this runs on every live change, and spreading the savers object is the slow path.
    return {
      saveLive: savers.saveLive,
      saveConfig: savers.saveConfig,
      deferLive: savers.deferLive,
      errorDomain: this.spec.errorDomain,
      supported: this.supportedParams,
      cgroup: this.liveCgroup(obj),
    };
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
    const def = this.parseXML(xml, (flags & DOMAIN_DEFINE_VALIDATE) !== 0);
    return this.#rootLocked(def.uuid, async () => {
      await this.#syncName(def.name);
      this.domains.checkDefinable(def);
      await this.store.saveConfig(def.name, formatDriverDomainXML(def, true));
      const { obj, created } = this.domains.define(def);
      this.lifecycle(obj, DomainEventType.DEFINED, created ? DomainEventDefinedDetail.ADDED : DomainEventDefinedDetail.UPDATED);
      return obj.ref();
    });
  }

  async createDomainXML(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, 0, this.spec.fn.createXML, this.spec.errorDomain);
    const def = this.parseXML(xml);
    return this.#rootLocked(def.uuid, async () => {
      await this.#syncName(def.name);
      const obj = this.domains.addTransient(def);
      try {
        await this.start(obj);
      } catch (e) {
        this.domains.remove(obj);
        throw e;
      }
      return obj.ref();
    });
  }

  async domainCreate(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, this.spec.fn.create, this.spec.errorDomain);
    await this.locked(ref, (obj) => this.start(obj));
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
      if (!obj.active) await removeDomainFiles(this.domainFiles(obj.name)).catch(() => undefined);
      this.lifecycle(obj, DomainEventType.UNDEFINED, DomainEventUndefinedDetail.REMOVED);
      if (obj.active) obj.config = undefined;
      else this.domains.remove(obj);
    });
  }

  /** The files besides its definition and status record a domain leaves in the root: its log by default. */
  protected domainFiles(name: string): string[] {
    return [this.store.logPath(name)];
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

  /** The memtune one getMemoryParameters call reports: live, as the cgroup holds it, or the persistent one. */
  async #memtuneFor(ref: DomainRef, flags: number): Promise<MemTune> {
    checkFlags(
      flags,
      DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY,
      this.spec.fn.getMemoryParameters,
      this.spec.errorDomain,
    );
    const obj = await this.current(ref);
    return resolveAffectOne(obj, flags) === 'live'
      ? liveMemTune(obj.def('live'), this.liveCgroup(obj))
      : obj.def('config').memtune;
  }

  async domainGetMemoryParameters(ref: DomainRef, flags: number): Promise<TypedParameter[]> {
    return memTuneToParams(await this.#memtuneFor(ref, flags), this.supportedParams);
  }

  async domainGetMemoryParameterCount(ref: DomainRef, flags: number): Promise<number> {
    return memoryParamCount(await this.#memtuneFor(ref, flags), this.supportedParams);
  }
}
