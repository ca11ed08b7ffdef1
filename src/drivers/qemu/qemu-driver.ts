import { execFile } from 'node:child_process';
import { MEMORY } from '../../cgroup/controllers.js';
import type {
  CooperationOptions,
  CooperationVerdict,
  DomainInfo,
  DomainMemoryStat,
  DomainRef,
  ReclaimOptions,
  ReclaimResult,
} from '../../driver.js';
import { ErrorCode, ErrorDomain, VirError, checkFlags } from '../../errors.js';
import { DomainEventStoppedDetail } from '../../events.js';
import {
  DOMAIN_AFFECT_CONFIG,
  DOMAIN_AFFECT_LIVE,
  DOMAIN_DESTROY_GRACEFUL,
  DOMAIN_SHUTDOWN_ACPI_POWER_BTN,
  DomainShutoffReason,
} from '../../flags.js';
import { UNLIMITED } from '../../memory/params.js';
import { memTuneUpdateToParams, type MemTuneUpdate } from '../../memory/validate.js';
import type { MemTune } from '../../xml/domain-def.js';
import { resolveAffect, type ResolvedAffect } from '../common/affect.js';
import { CgroupDomainDriver } from '../common/cgroup-domain-driver.js';
import { cpuTimeNs } from '../common/cpu-time.js';
import type { DomainObject } from '../common/domain-objects.js';
import { MEMORY_TUNABLES } from '../common/memory-family.js';
import { applyMemTuneUpdate, liveMemTune } from '../common/memtune-apply.js';
import type { TunableFamily } from '../common/tunable-family.js';
import { noBalloonError, queryBalloonKiB, setBalloonKiB } from './balloon.js';
import type { QemuDriverState } from './qemu-state.js';
import { measureOverheadKiB } from './overhead.js';
import type { QemuPaths } from './paths.js';
import { setMemlock } from './process.js';
import { qemuCooperation, qemuMemoryStats } from './memory-stats.js';
import { setStatsPeriod } from './stats-period.js';
import { reclaimMemory } from './reclaim.js';
import { applyPlanToDef, bootMemoryKiB, hasVirtioMem, planOf, planRequested, setRequested } from './virtio-mem.js';
import type { QemuRuntime } from './runtime.js';
import { killQemu, shutdownQemu } from './teardown.js';
import type { DomainEventSink } from '../../events.js';

const D = ErrorDomain.QEMU;

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
 * One connection to the QEMU driver: the shared cgroup-backed driver over its root's {@link QemuDriverState}, plus
 * what is QEMU's own: destroy and shutdown through signals and QMP, the balloon (setMemory, reclaim, statistics),
 * RLIMIT_MEMLOCK following hard_limit. Domains are QEMU processes in memory cgroups; they outlive the connection
 * and the process that started them.
 */
export class QemuDriver extends CgroupDomainDriver<QemuRuntime, QemuDriverState> {
  constructor(
    state: QemuDriverState,
    private readonly paths: QemuPaths,
    sink: DomainEventSink,
  ) {
    super(state, sink);
  }

  override async getVersion(): Promise<number> {
    return readQemuVersion();
  }

  // ---- lifecycle -----------------------------------------------------------------------------------------

  /** SIGTERM, then SIGKILL (GRACEFUL: SIGTERM only). */
  protected override kill(rt: QemuRuntime, flags: number): Promise<unknown> {
    return killQemu(rt, (flags & DOMAIN_DESTROY_GRACEFUL) !== 0);
  }

  /**
   * Shuts the guest down and waits until QEMU is gone: ACPI power button, then QMP `quit`, then signals, each with
   * its deadline (libvirt only presses the button and returns).
   */
  async domainShutdown(ref: DomainRef, flags: number): Promise<void> {
    checkFlags(flags, DOMAIN_SHUTDOWN_ACPI_POWER_BTN /* the only method this driver has */, 'qemuDomainShutdownFlags', D);
    await this.locked(ref, async (obj) => {
      const rt = this.state.running(obj);
      rt.stopRequest = 'shutdown';
      try {
        await shutdownQemu(rt, this.paths.shutdownAcpiMs);
      } catch (e) {
        delete rt.stopRequest;
        throw e;
      }
      await this.state.finish(obj, rt, { reason: DomainShutoffReason.SHUTDOWN, detail: DomainEventStoppedDetail.SHUTDOWN });
    });
  }

  // ---- state ---------------------------------------------------------------------------------------------

  override async domainGetInfo(ref: DomainRef): Promise<DomainInfo> {
    const obj = this.domains.fromRef(ref);
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
  async #balloonKiB(obj: DomainObject, rt: QemuRuntime): Promise<bigint> {
    if (!rt.hasBalloon) return obj.def('live').currentMemory;
    const kib = await queryBalloonKiB(await this.state.monitor(obj));
    obj.def('live').currentMemory = kib;
    return kib;
  }

  // ---- memory --------------------------------------------------------------------------------------------

  /**
   * setMemoryFlags as libvirt's QEMU driver does it: live moves the balloon (the guest follows in its own time;
   * BALLOON_CHANGE updates the live definition), config sets `<currentMemory>`.
   */
  protected override async setCurrentMemory(obj: DomainObject, kib: bigint, affect: ResolvedAffect): Promise<void> {
    let undo: (() => Promise<void>) | undefined;
    if (affect.live) undo = await this.#setLiveMemory(obj, kib);
    if (affect.config) {
      let next = { ...obj.def('config'), currentMemory: kib };
      try {
        if (hasVirtioMem(next)) next = applyPlanToDef(next, planRequested(next, kib));
        await this.state.savers.saveConfig(obj, next);
      } catch (e) {
        await undo?.().catch(() => undefined);
        throw e;
      }
      obj.config = next;
    }
  }

  /**
   * The live side of setMemory: virtio-mem devices are asked to plug what lies beyond the boot memory (or to
   * unplug it all below it), and the balloon takes the target. Returns how to put both back.
   */
  async #setLiveMemory(obj: DomainObject, kib: bigint): Promise<() => Promise<void>> {
    const rt = this.state.running(obj);
    const live = obj.def('live');
    const grows = hasVirtioMem(live);
    if (!rt.hasBalloon && !(grows && kib >= bootMemoryKiB(live))) throw noBalloonError();
    const qmp = await this.state.monitor(obj);
    const beforeDevices = live.devices;
    const plan = grows ? planRequested(live, kib) : [];
    const undoBalloon = rt.hasBalloon ? await queryBalloonKiB(qmp) : undefined;
    const undo = async (): Promise<void> => {
      if (grows) {
        await setRequested(qmp, obj.def('live'), planOf(beforeDevices));
        obj.def('live').devices = beforeDevices;
      }
      if (undoBalloon !== undefined) await setBalloonKiB(qmp, undoBalloon);
    };
    try {
      if (grows) {
        await setRequested(qmp, live, plan);
        live.devices = applyPlanToDef(live, plan).devices;
        await this.state.savers.saveLive(obj, live);
      }
      if (rt.hasBalloon) await setBalloonKiB(qmp, kib);
    } catch (e) {
      await undo().catch(() => undefined);
      throw e;
    }
    return undo;
  }

  /** RLIMIT_MEMLOCK follows a live hard_limit change ({@link syncMemlock}). */
  protected override async afterLiveTune<T extends object>(obj: DomainObject, family: TunableFamily<T>, before: T): Promise<void> {
    if ((family as unknown) !== MEMORY_TUNABLES) return;
    const previous = (before as MemTune).hardLimit;
    if (obj.def('live').memtune.hardLimit !== previous) await this.#syncMemlock(obj, previous);
  }

  /**
   * RLIMIT_MEMLOCK follows a live hard_limit change (libvirt sets it only at start). If prlimit fails, the hard
   * limit is put back, so the two never disagree.
   */
  async #syncMemlock(obj: DomainObject, previousHardKiB: bigint): Promise<void> {
    const rt = this.state.running(obj);
    const hard = obj.def('live').memtune.hardLimit;
    try {
      await setMemlock(rt.proc.pid, hard < UNLIMITED ? hard : undefined, rt.memlockFallback);
    } catch (e) {
      await applyMemTuneUpdate(obj, { hardLimit: previousHardKiB }, { live: true, config: false }, this.memtuneContext(obj)).catch(
        () => undefined,
      );
      throw e;
    }
  }

  /** Design 2: balloon first, then (with `enforce`) the cgroup hard limit. See {@link reclaimMemory}. */
  async domainReclaimMemory(ref: DomainRef, targetKiB: bigint, options: ReclaimOptions): Promise<ReclaimResult> {
    if (typeof targetKiB !== 'bigint' || targetKiB <= 0n) {
      throw new VirError(ErrorCode.INVALID_ARG, D, `reclaim target must be a positive bigint of KiB, not ${String(targetKiB)}`);
    }
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      throw new VirError(ErrorCode.INVALID_ARG, D, `reclaim timeout must be a non-negative number of ms, not ${String(timeoutMs)}`);
    }
    return this.locked(ref, async (obj) => {
      const rt = this.state.running(obj);
      if (!rt.hasBalloon) throw noBalloonError();
      const live = obj.def('live');
      if (targetKiB > live.memory) throw new VirError(ErrorCode.INVALID_ARG, D, 'cannot set memory higher than max memory');
      const qmp = await this.state.monitor(obj);
      return reclaimMemory(
        {
          name: obj.name,
          qmp,
          cgroupVersion: rt.cgroup.tunables(MEMORY).files.version,
          usageKiB: () => rt.cgroup.tunables(MEMORY).usageKiB(),
          hardLimitKiB: () => liveMemTune(obj.def('live'), rt.cgroup).hardLimit,
          overheadKiB: (usage) => measureOverheadKiB(rt.proc.pid, live.memory, usage),
          setHardLimitKiB: async (kib) => {
            const update: MemTuneUpdate = { hardLimit: kib };
            const previous = liveMemTune(obj.def('live'), rt.cgroup).hardLimit;
            await applyMemTuneUpdate(obj, update, { live: true, config: false }, this.memtuneContext(obj));
            await this.#syncMemlock(obj, previous);
            this.state.emit({ kind: 'tunable', domain: obj.ref(), params: memTuneUpdateToParams(update) });
          },
        },
        targetKiB,
        { ...(timeoutMs === undefined ? {} : { timeoutMs }), enforce: options.enforce === true },
      );
    });
  }

  // ---- memory statistics ---------------------------------------------------------------------------------

  /** virDomainMemoryStats (qemuDomainMemoryStats): the balloon's figures, then QEMU's RSS. */
  async domainMemoryStats(ref: DomainRef, flags: number): Promise<DomainMemoryStat[]> {
    checkFlags(flags, 0, 'qemuDomainMemoryStats', D);
    return this.locked(ref, (obj) => qemuMemoryStats(() => this.state.monitor(obj), this.state.running(obj), obj.def('live')));
  }

  /** virDomainSetMemoryStatsPeriod: the live period through QMP, the persistent one in the definition. */
  async domainSetMemoryStatsPeriod(ref: DomainRef, period: number, flags: number): Promise<void> {
    checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, 'qemuDomainSetMemoryStatsPeriod', D);
    await this.locked(ref, (obj) => setStatsPeriod(obj, period, resolveAffect(obj, flags), this.state));
  }

  /** Whether the guest co-operates with its balloon (virtune's extension). See {@link judgeCooperation}. */
  async domainGetCooperation(ref: DomainRef, options: CooperationOptions): Promise<CooperationVerdict> {
    return this.locked(ref, (obj) => qemuCooperation(() => this.state.monitor(obj), this.state.running(obj), obj.def('live'), options));
  }
}
