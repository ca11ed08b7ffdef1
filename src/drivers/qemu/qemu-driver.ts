import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import type {
  DomainInfo,
  DomainRef,
  DomainStateInfo,
  HypervisorDriver,
  ReclaimOptions,
  ReclaimResult,
} from '../../driver.js';
import { ErrorCode, ErrorDomain, VirError, checkFlags } from '../../errors.js';
import {
  DomainEventDefinedDetail,
  DomainEventStoppedDetail,
  DomainEventType,
  DomainEventUndefinedDetail,
  type DomainEventSink,
} from '../../events.js';
import {
  DOMAIN_AFFECT_CONFIG,
  DOMAIN_AFFECT_LIVE,
  DOMAIN_DEFINE_VALIDATE,
  DOMAIN_MEM_MAXIMUM,
  DOMAIN_XML_INACTIVE,
  DOMAIN_XML_MIGRATABLE,
  DOMAIN_XML_SECURE,
  DOMAIN_XML_UPDATE_CPU,
  DomainShutoffReason,
  TYPED_PARAM_STRING_OKAY,
} from '../../flags.js';
import { MEMORY_MIN_GUARANTEE, MEMORY_PARAM_UNLIMITED, type MemoryParamName } from '../../memory/params.js';
import { memTuneToParams, memTuneUpdateToParams, memoryParamCount, type MemTuneUpdate } from '../../memory/validate.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import { resolveAffect, resolveAffectOne } from '../common/affect.js';
import type { DomainObject } from '../common/domain-objects.js';
import { applyMemTuneUpdate, liveMemTune, setMemoryParameters, type MemtuneContext } from '../common/memtune-apply.js';
import { cpuTimeNs } from '../common/cpu-time.js';
import { noBalloonError, queryBalloonKiB, setBalloonKiB } from './balloon.js';
import type { QemuDriverState } from './driver-state.js';
import { measureOverheadKiB } from './overhead.js';
import type { QemuPaths } from './paths.js';
import { setMemlock } from './process.js';
import { formatQemuDomainXML, parseQemuDomainXML } from './qemu-xml.js';
import { reclaimMemory } from './reclaim.js';
import type { QemuRuntime } from './runtime.js';
import { killQemu, shutdownQemu } from './teardown.js';

const D = ErrorDomain.QEMU;
/** virDomainDestroyFlagsValues: GRACEFUL sends SIGTERM only. */
const DESTROY_GRACEFUL = 1;
/** virDomainShutdownFlagValues: ACPI_POWER_BTN, the only method this driver has. */
const SHUTDOWN_ACPI_POWER_BTN = 1;
/** virDomainUndefineFlagsValues QEMU accepts; virtune domains have none of the things they name, so no-ops. */
const UNDEFINE_FLAGS = 0x7f;

let qemuVersion: Promise<number> | undefined;

/** `qemu-system-x86_64 --version` as libvirt reports it: major * 1,000,000 + minor * 1,000 + micro. */
function readQemuVersion(): Promise<number> {
  qemuVersion ??= new Promise((resolve) => {
    execFile('qemu-system-x86_64', ['--version'], (err, out) => {
      const m = /version (\d+)\.(\d+)\.(\d+)/.exec(err ? '' : out);
      resolve(m ? Number(m[1]) * 1_000_000 + Number(m[2]) * 1000 + Number(m[3]) : 0);
    });
  });
  return qemuVersion;
}

/**
 * One connection to the QEMU driver: a thin table over the root's shared {@link QemuDriverState}. Domains are
 * QEMU processes in memory cgroups; they outlive the connection and the process that started them.
 */
export class QemuDriver implements HypervisorDriver {
  readonly type = 'QEMU';
  #closed = false;

  constructor(
    private readonly state: QemuDriverState,
    private readonly paths: QemuPaths,
    private readonly sink: DomainEventSink,
  ) {}

  get #domains() {
    return this.state.domains;
  }

  /** The memory parameters QEMU takes: the cgroup's, except min_guarantee (libvirt's QEMU refuses it). */
  get #supported(): readonly MemoryParamName[] {
    return this.state.controller.backend.params.filter((p) => p !== MEMORY_MIN_GUARANTEE);
  }

  #memtuneContext(obj: DomainObject): MemtuneContext {
    return {
      ...this.state.savers,
      errorDomain: D,
      supported: this.#supported,
      cgroup: this.state.runtimes.get(obj)?.cgroup,
    };
  }

  #locked<T>(ref: DomainRef, task: (obj: DomainObject) => Promise<T> | T): Promise<T> {
    const obj = this.#domains.fromRef(ref);
    return this.state.locks.run(obj.uuid, () => task(this.#domains.fromRef(ref)));
  }

  // ---- connection ----------------------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.state.release(this.sink);
  }

  async getVersion(): Promise<number> {
    return readQemuVersion();
  }

  async getHostname(): Promise<string> {
    return hostname();
  }

  async lookupDomainByName(name: string): Promise<DomainRef> {
    return this.#domains.lookupByName(name).ref();
  }

  async lookupDomainByUUID(uuid: string): Promise<DomainRef> {
    return this.#domains.lookupByUUID(uuid).ref();
  }

  async lookupDomainByID(id: number): Promise<DomainRef> {
    return this.#domains.lookupByID(id).ref();
  }

  async listAllDomains(flags: number): Promise<DomainRef[]> {
    return this.#domains.listAll(flags, 'qemuConnectListAllDomains').map((o) => o.ref());
  }

  // ---- definitions ---------------------------------------------------------------------------------------

  async defineDomainXML(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, DOMAIN_DEFINE_VALIDATE, 'qemuDomainDefineXMLFlags', D);
    const def = parseQemuDomainXML(xml, (flags & DOMAIN_DEFINE_VALIDATE) !== 0);
    return this.state.locks.run(def.uuid, async () => {
      this.#domains.checkDefinable(def);
      await this.state.store.saveConfig(def.name, formatQemuDomainXML(def, true));
      const { obj, created } = this.#domains.define(def);
      this.state.lifecycle(obj, DomainEventType.DEFINED, created ? DomainEventDefinedDetail.ADDED : DomainEventDefinedDetail.UPDATED);
      return obj.ref();
    });
  }

  async domainUndefine(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, UNDEFINE_FLAGS, 'qemuDomainUndefineFlags', D);
    await this.#locked(ref, async (obj) => {
      if (!obj.persistent) {
        throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'cannot undefine transient domain');
      }
      await this.state.store.removeConfig(obj.name);
      this.state.lifecycle(obj, DomainEventType.UNDEFINED, DomainEventUndefinedDetail.REMOVED);
      if (obj.active) obj.config = undefined;
      else this.#domains.remove(obj);
    });
  }

  async domainGetXMLDesc(ref: DomainRef, flags: number): Promise<string> {
    checkFlags(
      flags,
      DOMAIN_XML_SECURE | DOMAIN_XML_INACTIVE | DOMAIN_XML_UPDATE_CPU | DOMAIN_XML_MIGRATABLE,
      'qemuDomainGetXMLDesc',
      D,
    );
    const obj = this.#domains.fromRef(ref);
    const inactive = (flags & DOMAIN_XML_INACTIVE) !== 0;
    if (inactive && obj.config) return formatQemuDomainXML(obj.config, true);
    return formatQemuDomainXML(obj.current, inactive || !obj.active);
  }

  // ---- lifecycle -----------------------------------------------------------------------------------------

  async createDomainXML(xml: string, flags: number): Promise<DomainRef> {
    checkFlags(flags, 0, 'qemuDomainCreateXML', D);
    const def = parseQemuDomainXML(xml);
    return this.state.locks.run(def.uuid, async () => {
      const obj = this.#domains.addTransient(def);
      try {
        await this.state.start(obj);
      } catch (e) {
        this.#domains.remove(obj);
        throw e;
      }
      return obj.ref();
    });
  }

  async domainCreate(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'qemuDomainCreateWithFlags', D);
    await this.#locked(ref, (obj) => this.state.start(obj));
  }

  async domainDestroy(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DESTROY_GRACEFUL, 'qemuDomainDestroyFlags', D);
    await this.#locked(ref, async (obj) => {
      const rt = this.state.running(obj);
      rt.stopRequest = 'destroy';
      try {
        await killQemu(rt, (flags & DESTROY_GRACEFUL) !== 0);
      } catch (e) {
        delete rt.stopRequest;
        throw e;
      }
      await this.state.finish(obj, rt, DomainShutoffReason.DESTROYED, DomainEventStoppedDetail.DESTROYED);
    });
  }

  /**
   * Shuts the guest down and waits until QEMU is gone: ACPI power button, then QMP `quit`, then signals, each with
   * its deadline (libvirt only presses the button and returns).
   */
  async domainShutdown(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, SHUTDOWN_ACPI_POWER_BTN, 'qemuDomainShutdownFlags', D);
    await this.#locked(ref, async (obj) => {
      const rt = this.state.running(obj);
      rt.stopRequest = 'shutdown';
      try {
        await shutdownQemu(rt, this.paths.shutdownAcpiMs);
      } catch (e) {
        delete rt.stopRequest;
        throw e;
      }
      await this.state.finish(obj, rt, DomainShutoffReason.SHUTDOWN, DomainEventStoppedDetail.SHUTDOWN);
    });
  }

  // ---- state ---------------------------------------------------------------------------------------------

  async domainGetInfo(ref: DomainRef): Promise<DomainInfo> {
    const obj = this.#domains.fromRef(ref);
    const rt = this.state.runtimes.get(obj);
    const def = obj.current;
    return {
      state: obj.state,
      maxMem: def.memory,
      memory: rt ? await this.#balloonKiB(obj, rt) : def.currentMemory,
      nrVirtCpu: def.vcpu.current ?? def.vcpu.count,
      cpuTime: rt ? cpuTimeNs([rt.proc.pid]) : 0n,
    };
  }

  /** The balloon's actual size; the live `<currentMemory>` when there is no balloon to ask. */
  async #balloonKiB(obj: DomainObject, rt: QemuRuntime): Promise<number> {
    if (!rt.hasBalloon) return obj.def('live').currentMemory;
    const kib = await queryBalloonKiB(await this.state.monitor(obj));
    obj.def('live').currentMemory = kib;
    return kib;
  }

  async domainGetState(ref: DomainRef, flags: number): Promise<DomainStateInfo> {
    checkFlags(flags, 0, 'qemuDomainGetState', D);
    const obj = this.#domains.fromRef(ref);
    return { state: obj.state, reason: obj.reason };
  }

  async domainIsActive(ref: DomainRef): Promise<boolean> {
    return this.#domains.fromRef(ref).active;
  }

  async domainIsPersistent(ref: DomainRef): Promise<boolean> {
    return this.#domains.fromRef(ref).persistent;
  }

  // ---- memory --------------------------------------------------------------------------------------------

  /**
   * virDomainSetMemoryFlags as libvirt's QEMU driver does it: live moves the balloon (the guest follows in its
   * own time; BALLOON_CHANGE updates the live definition), config sets `<currentMemory>`; with MEM_MAXIMUM,
   * config sets `<memory>` (a running domain's cannot change).
   */
  async domainSetMemoryFlags(ref: DomainRef, kib: number, flags: number): Promise<void> {
    checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG | DOMAIN_MEM_MAXIMUM, 'qemuDomainSetMemoryFlags', D);
    if (!Number.isSafeInteger(kib) || kib <= 0) {
      throw new VirError(ErrorCode.INVALID_ARG, D, `memory must be a positive integer of KiB, not ${String(kib)}`);
    }
    await this.#locked(ref, async (obj) => {
      const affect = resolveAffect(obj, flags);
      if ((flags & DOMAIN_MEM_MAXIMUM) !== 0) {
        if (affect.live) {
          throw new VirError(ErrorCode.OPERATION_INVALID, D, 'cannot resize the maximum memory on an active domain');
        }
        const config = obj.def('config');
        const next = { ...config, memory: kib, currentMemory: Math.min(config.currentMemory, kib) };
        await this.state.savers.saveConfig(obj, next);
        obj.config = next;
        return;
      }
      const maxes = [affect.live ? obj.def('live').memory : Infinity, affect.config ? obj.def('config').memory : Infinity];
      if (kib > Math.min(...maxes)) {
        throw new VirError(ErrorCode.INVALID_ARG, D, 'cannot set memory higher than max memory');
      }
      let undoBalloon: number | undefined;
      if (affect.live) {
        const rt = this.state.running(obj);
        if (!rt.hasBalloon) throw noBalloonError();
        const qmp = await this.state.monitor(obj);
        undoBalloon = await queryBalloonKiB(qmp);
        await setBalloonKiB(qmp, kib);
      }
      if (affect.config) {
        const next = { ...obj.def('config'), currentMemory: kib };
        try {
          await this.state.savers.saveConfig(obj, next);
        } catch (e) {
          if (undoBalloon !== undefined) await setBalloonKiB(await this.state.monitor(obj), undoBalloon).catch(() => undefined);
          throw e;
        }
        obj.config = next;
      }
    });
  }

  async domainSetMemoryParameters(ref: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void> {
    await this.#locked(ref, async (obj) => {
      const before = obj.live ? liveMemTune(obj.live, this.state.runtimes.get(obj)?.cgroup).hardLimit : undefined;
      const applied = await setMemoryParameters(obj, params, flags, this.#memtuneContext(obj), 'qemuDomainSetMemoryParameters');
      const after = obj.live ? liveMemTune(obj.live, this.state.runtimes.get(obj)?.cgroup).hardLimit : undefined;
      if (before !== after && obj.live) await this.#syncMemlock(obj, before!);
      this.state.emit({ kind: 'tunable', domain: obj.ref(), params: applied });
    });
  }

  /**
   * RLIMIT_MEMLOCK follows a live hard_limit change (libvirt sets it only at start). If prlimit fails, the hard
   * limit is put back, so the two never disagree.
   */
  async #syncMemlock(obj: DomainObject, previousHardKiB: number): Promise<void> {
    const rt = this.state.running(obj);
    const hard = obj.def('live').memtune.hardLimit;
    try {
      await setMemlock(rt.proc.pid, hard < MEMORY_PARAM_UNLIMITED ? hard : undefined, rt.memlockFallback);
    } catch (e) {
      await applyMemTuneUpdate(obj, { hardLimit: previousHardKiB }, { live: true, config: false }, this.#memtuneContext(obj)).catch(
        () => undefined,
      );
      throw e;
    }
  }

  async domainGetMemoryParameters(ref: DomainRef, flags: number): Promise<TypedParameter[]> {
    checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY, 'qemuDomainGetMemoryParameters', D);
    const obj = this.#domains.fromRef(ref);
    const which = resolveAffectOne(obj, flags);
    const def = obj.def(which);
    const memtune = which === 'live' ? liveMemTune(def, this.state.runtimes.get(obj)?.cgroup) : def.memtune;
    return memTuneToParams(memtune, this.#supported);
  }

  async domainGetMemoryParameterCount(ref: DomainRef, flags: number): Promise<number> {
    checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY, 'qemuDomainGetMemoryParameters', D);
    const obj = this.#domains.fromRef(ref);
    return memoryParamCount(obj.def(resolveAffectOne(obj, flags)).memtune, this.#supported);
  }

  /** Design 2: balloon first, then (with `enforce`) the cgroup hard limit. See {@link reclaimMemory}. */
  async domainReclaimMemory(ref: DomainRef, targetKiB: number, options: ReclaimOptions): Promise<ReclaimResult> {
    if (!Number.isSafeInteger(targetKiB) || targetKiB <= 0) {
      throw new VirError(ErrorCode.INVALID_ARG, D, `reclaim target must be a positive integer of KiB, not ${String(targetKiB)}`);
    }
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      throw new VirError(ErrorCode.INVALID_ARG, D, `reclaim timeout must be a non-negative number of ms, not ${String(timeoutMs)}`);
    }
    return this.#locked(ref, async (obj) => {
      const rt = this.state.running(obj);
      if (!rt.hasBalloon) throw noBalloonError();
      const live = obj.def('live');
      if (targetKiB > live.memory) throw new VirError(ErrorCode.INVALID_ARG, D, 'cannot set memory higher than max memory');
      const qmp = await this.state.monitor(obj);
      return reclaimMemory(
        {
          name: obj.name,
          qmp,
          cgroupVersion: rt.cgroup.backend.version,
          usageKiB: () => rt.cgroup.usageKiB(),
          hardLimitKiB: () => liveMemTune(obj.def('live'), rt.cgroup).hardLimit,
          overheadKiB: (usage) => measureOverheadKiB(rt.proc.pid, live.memory, usage),
          setHardLimitKiB: async (kib) => {
            const update: MemTuneUpdate = { hardLimit: kib };
            const previous = liveMemTune(obj.def('live'), rt.cgroup).hardLimit;
            await applyMemTuneUpdate(obj, update, { live: true, config: false }, this.#memtuneContext(obj));
            await this.#syncMemlock(obj, previous);
            this.state.emit({ kind: 'tunable', domain: obj.ref(), params: memTuneUpdateToParams(update) });
          },
        },
        targetKiB,
        { ...(timeoutMs === undefined ? {} : { timeoutMs }), enforce: options.enforce === true },
      );
    });
  }
}
