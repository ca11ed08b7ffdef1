import type { Connection } from './connection.js';
import type {
  CooperationOptions,
  CooperationVerdict,
  DomainInfo,
  DomainMemoryStat,
  DomainRef,
  DomainStateInfo,
  ReclaimOptions,
  ReclaimResult,
  SchedulerType,
} from '../driver.js';
import { PUBLIC_ALIASES, publicName } from '../entry-points.js';
import { asVirError, guardMethods } from '../error-guard.js';
import { DOMAIN_MEM_MAXIMUM, TYPED_PARAM_STRING_OKAY, affectFlags, type AffectOptions } from '../flags.js';
import { memtuneToParams, paramsToMemtune, type MemtuneReport, type MemtuneValues } from '../memory/memtune-fields.js';
import { checkAffectExclusive, checkMemoryAmount, checkStatsPeriod } from './public-checks.js';
import { checkTypedParamNames, checkTypedParamsForSet } from '../typed-params/validate.js';
import { cpuTuneValuesToParams, paramsToCpuTune, type CpuTuneReport, type CpuTuneValues } from '../scheduler/cpu-fields.js';
import { blkiotuneToParams, type BlkiotuneValues } from '../blkio/blkiotune-fields.js';
import { paramsToBlkioTune } from '../blkio/validate.js';
import type { BlkioTune } from '../xml/domain-def.js';
import type { TypedParameter, TypedParameterInput } from '../typed-params/types.js';

/**
 * A handle on one domain (libvirt's virDomainPtr). Every method delegates to the connection's driver; an entry the
 * driver lacks fails with NO_SUPPORT.
 */
export class Domain {
  /** Made by a {@link Connection}'s lookups. @internal */
  static fromRef(connection: Connection, ref: DomainRef): Domain {
    return new Domain(connection, ref);
  }

  // The reference's three values, not the driver's object: a program may hold a handle for each of thousands of
  // domains, and one object less per handle is 48 bytes less each (docs/performance.md, memory per domain).
  #name: string;
  #uuid: string;
  #id: number;

  // Private: a handle comes from a connection (its declaration says so to users, who cannot call it).
  private constructor(
    readonly connection: Connection,
    ref: DomainRef,
  ) {
    // The class is exported, so anything may be passed here: what cannot be read is INVALID_ARG, as elsewhere.
    try {
      this.#name = ref.name;
      this.#uuid = ref.uuid;
      this.#id = ref.id;
    } catch (e) {
      throw asVirError(e, 'Domain');
    }
  }

  /** What the driver is given for this domain: a new object each time, so no caller can change the handle's. */
  private get ref(): DomainRef {
    return { name: this.#name, uuid: this.#uuid, id: this.#id };
  }
  private set ref(ref: DomainRef) {
    this.#name = ref.name;
    this.#uuid = ref.uuid;
    this.#id = ref.id;
  }

  get name(): string {
    return this.#name;
  }
  get uuid(): string {
    return this.#uuid;
  }
  /** The id when the handle was obtained (-1 if the domain was not running). */
  get id(): number {
    return this.#id;
  }
  /** The driver's reference for this domain. */
  get reference(): Readonly<DomainRef> {
    return this.ref;
  }

  async create(flags = 0): Promise<void> {
    await this.connection.call('domainCreate', this.ref, flags);
    await this.refresh();
  }
  async destroy(flags = 0): Promise<void> {
    await this.connection.call('domainDestroy', this.ref, flags);
    this.#id = -1;
  }
  async shutdown(flags = 0): Promise<void> {
    await this.connection.call('domainShutdown', this.ref, flags);
  }
  async undefine(flags = 0): Promise<void> {
    await this.connection.call('domainUndefine', this.ref, flags);
  }
  async getXMLDesc(flags = 0): Promise<string> {
    return this.connection.call('domainGetXMLDesc', this.ref, flags);
  }
  async getInfo(): Promise<DomainInfo> {
    return this.connection.call('domainGetInfo', this.ref);
  }
  async getState(flags = 0): Promise<DomainStateInfo> {
    return this.connection.call('domainGetState', this.ref, flags);
  }
  async isActive(): Promise<boolean> {
    return this.connection.call('domainIsActive', this.ref);
  }
  async isPersistent(): Promise<boolean> {
    return this.connection.call('domainIsPersistent', this.ref);
  }
  /**
   * virDomainSetMemoryFlags: the balloon target (live) or `<currentMemory>` (config), KiB. Flags are
   * DOMAIN_MEM_CURRENT/LIVE/CONFIG, plus DOMAIN_MEM_MAXIMUM to change `<memory>` instead. Note that libvirt's
   * flagless virDomainSetMemory means LIVE; here flags default to CURRENT, as in virsh's `setmem`.
   * `kib` may be a bigint (libvirt's `unsigned long`): an amount of 2^53 - 1 KiB or more is refused with
   * `numerical overflow: input too large: N`, N exact.
   */
  async setMemory(kib: number | bigint, flags = 0): Promise<void> {
    const fn = publicName('domainSetMemoryFlags');
    this.connection.checkUsable(fn, 'domainSetMemoryFlags');
    const amount = checkMemoryAmount(kib, fn);
    await this.connection.call('domainSetMemoryFlags', this.ref, amount, flags);
  }
  /** virDomainSetMaxMemory: the domain's `<memory>`, KiB (setMemory with DOMAIN_MEM_MAXIMUM). */
  async setMaxMemory(kib: number | bigint, flags = 0): Promise<void> {
    const fn = 'virDomainSetMaxMemory';
    this.connection.checkUsable(fn, PUBLIC_ALIASES[fn]);
    const amount = checkMemoryAmount(kib, fn);
    await this.connection.callAlias(fn, this.ref, amount, flags | DOMAIN_MEM_MAXIMUM);
  }
  /** virDomainSetMemoryParameters: every parameter is applied, or none is. */
  async setMemoryParameters(params: readonly TypedParameterInput[], flags = 0): Promise<void> {
    this.connection.checkUsable(publicName('domainSetMemoryParameters'), 'domainSetMemoryParameters');
    // The driver gets the list as checked, read once: a caller's getter cannot answer it differently later.
    const snapshot = checkTypedParamsForSet(params, publicName('domainSetMemoryParameters'));
    await this.connection.call('domainSetMemoryParameters', this.ref, snapshot, flags);
  }
  /** virDomainGetMemoryParameters: the driver's parameters, ULLONG KiB each. */
  async getMemoryParameters(flags = 0): Promise<TypedParameter[]> {
    this.connection.checkUsable(publicName('domainGetMemoryParameters'), 'domainGetMemoryParameters');
    checkAffectExclusive(flags);
    return this.connection.call('domainGetMemoryParameters', this.ref, flags);
  }
  /**
   * The memory tunables by name, sizes as virsh writes them — a layer over {@link setMemoryParameters}: it builds
   * the typed parameters and flags and makes that one call, so validation, errors and the all-or-nothing
   * guarantee are the same. Strings go through {@link parseSize} (`'2G'`, `'512M'`, `'unlimited'`); bigints and
   * numbers are KiB. Options name the definitions to change (`{ live: true, config: true }`); none is CURRENT.
   *
   * @example
   * ```ts
   * await dom.setMemtune({ hardLimit: '2G', swapHardLimit: 'unlimited' }, { live: true, config: true });
   * ```
   * @throws VirError a size parseSize refuses, or whatever setMemoryParameters refuses; nothing is changed then.
   */
  async setMemtune(values: MemtuneValues, options: AffectOptions | number = {}): Promise<void> {
    this.connection.checkUsable(publicName('domainSetMemoryParameters'), 'domainSetMemoryParameters');
    await this.setMemoryParameters(memtuneToParams(values), affectFlags(options));
  }
  /**
   * {@link getMemoryParameters} as named fields, KiB bigints: `hardLimit`, `softLimit`, `swapHardLimit` always
   * (UNLIMITED when unset), `minGuarantee` and `swapSoftLimit` when the driver reports them.
   *
   * @example
   * ```ts
   * const { hardLimit } = await dom.getMemtune({ config: true });
   * if (hardLimit === UNLIMITED) console.log('no hard limit');
   * ```
   */
  async getMemtune(options: AffectOptions | number = {}): Promise<MemtuneReport> {
    return paramsToMemtune(await this.getMemoryParameters(affectFlags(options)));
  }
  /** libvirt's getMemoryParameters with nparams=0: how many parameters the driver reports. */
  async getMemoryParameterCount(flags = 0): Promise<number> {
    this.connection.checkUsable(publicName('domainGetMemoryParameterCount'), 'domainGetMemoryParameterCount');
    checkAffectExclusive(flags);
    return this.connection.call('domainGetMemoryParameterCount', this.ref, flags);
  }
  /**
   * Design 2: reclaim memory through the balloon, enforcing with the cgroup hard limit if asked. `targetKiB` is
   * checked as {@link setMemory}'s amount; the result's amounts are bigints.
   */
  async reclaimMemory(targetKiB: number | bigint, options: ReclaimOptions = {}): Promise<ReclaimResult> {
    const fn = publicName('domainReclaimMemory');
    this.connection.checkUsable(fn, 'domainReclaimMemory');
    const amount = checkMemoryAmount(targetKiB, fn);
    return this.connection.call('domainReclaimMemory', this.ref, amount, options);
  }

  /**
   * virDomainMemoryStats: the guest's memory figures as its balloon reports them, in libvirt's order and with its
   * tags (`actual`, `swap_in`, ..., `rss`); a figure the guest does not report is left out. Flags must be 0.
   */
  async memoryStats(flags = 0): Promise<DomainMemoryStat[]> {
    return this.connection.call('domainMemoryStats', this.ref, flags);
  }
  /** virDomainSetMemoryStatsPeriod: how often the guest reports, seconds (0 stops it); DOMAIN_AFFECT_* flags. */
  async setMemoryStatsPeriod(period: number, flags = 0): Promise<void> {
    const fn = publicName('domainSetMemoryStatsPeriod');
    this.connection.checkUsable(fn, 'domainSetMemoryStatsPeriod');
    checkStatsPeriod(period, fn);
    await this.connection.call('domainSetMemoryStatsPeriod', this.ref, period, flags);
  }
  /** Whether the guest co-operates with its balloon, and why (virtune's extension). */
  async cooperation(options: CooperationOptions = {}): Promise<CooperationVerdict> {
    return this.connection.call('domainGetCooperation', this.ref, options);
  }

  /** virDomainGetSchedulerType: the scheduler (`posix` on QEMU and LXC, `fair` on the test driver) and its parameter count. */
  async getSchedulerType(): Promise<SchedulerType> {
    return this.connection.call('domainGetSchedulerType', this.ref);
  }
  /**
   * The scheduler's parameters (cpu_shares ULLONG, the periods ULLONG µs, the quotas LLONG µs; `weight` UINT on
   * the test driver). Without `flags` this is libvirt's flagless virDomainGetSchedulerParameters (the current
   * definition); with flags (DOMAIN_AFFECT_*) it is virDomainGetSchedulerParametersFlags, which — as libvirt's
   * does — adds TYPED_PARAM_STRING_OKAY: libvirt's test driver refuses every flag, so on `test:///` only the
   * flagless form works (`unsupported flags (0x4) in function testDomainGetSchedulerParametersFlags`).
   */
  async getSchedulerParameters(flags?: number): Promise<TypedParameter[]> {
    if (flags === undefined) return this.connection.callAlias('virDomainGetSchedulerParameters', this.ref, 0);
    this.connection.checkUsable(publicName('domainGetSchedulerParameters'), 'domainGetSchedulerParameters');
    checkAffectExclusive(flags);
    return this.connection.call('domainGetSchedulerParameters', this.ref, flags | TYPED_PARAM_STRING_OKAY);
  }
  /**
   * virDomainSetSchedulerParametersFlags (without `flags`, the flagless virDomainSetSchedulerParameters: CURRENT).
   * Every parameter is checked — names, types, libvirt's ranges — before anything changes; then all apply or none.
   * An empty list is accepted and changes nothing, as in libvirt.
   */
  async setSchedulerParameters(params: readonly TypedParameterInput[], flags?: number): Promise<void> {
    const fn = flags === undefined ? 'virDomainSetSchedulerParameters' : publicName('domainSetSchedulerParameters');
    this.connection.checkUsable(fn, 'domainSetSchedulerParameters');
    // The driver gets the list as checked, read once (see setMemoryParameters).
    const snapshot = checkTypedParamNames(params, fn);
    if (flags === undefined) await this.connection.callAlias('virDomainSetSchedulerParameters', this.ref, snapshot, 0);
    else await this.connection.call('domainSetSchedulerParameters', this.ref, snapshot, flags);
  }
  /**
   * The scheduler's parameters by name — a layer over {@link setSchedulerParameters}: `<cputune>`'s fields
   * (`shares`, `period`, `quota`, `emulatorPeriod`, ..., µs as bigints or numbers), the test driver's `weight`,
   * and two percentages of one host CPU: `cpuPercent` (each vCPU: sets vcpu_period and vcpu_quota) and
   * `globalCpuPercent` (the whole domain: global_period and global_quota). The period is `period` (or
   * `globalPeriod`) when given, else 100000 µs; `'unlimited'` sets the quota to -1. One call, so every check and
   * the all-or-nothing guarantee are setSchedulerParameters'. Options name the definitions (none is CURRENT).
   *
   * @example
   * ```ts
   * await dom.setCpuTune({ cpuPercent: 50 }, { live: true }); // vcpu_period 100000, vcpu_quota 50000
   * await dom.setCpuTune({ shares: 512, globalCpuPercent: 150, globalPeriod: 200000 }, { config: true });
   * ```
   * @throws VirError a percentage that is not positive, or whatever setSchedulerParameters refuses; nothing changes.
   */
  async setCpuTune(values: CpuTuneValues, options: AffectOptions | number = {}): Promise<void> {
    this.connection.checkUsable(publicName('domainSetSchedulerParameters'), 'domainSetSchedulerParameters');
    await this.setSchedulerParameters(cpuTuneValuesToParams(values), affectFlags(options));
  }
  /**
   * {@link getSchedulerParameters} as named fields (µs bigints; `weight` a number). CURRENT (no options) uses the
   * flagless call, so it works on every driver, the test driver included.
   */
  async getCpuTune(options: AffectOptions | number = {}): Promise<CpuTuneReport> {
    const flags = affectFlags(options);
    return paramsToCpuTune(await this.getSchedulerParameters(flags === 0 ? undefined : flags));
  }
  /**
   * virDomainSetBlkioParameters: `weight` (UINT) and the per-device lists `device_weight`, `device_read_iops_sec`,
   * `device_write_iops_sec`, `device_read_bytes_sec`, `device_write_bytes_sec` (STRING `path,value,...`; a value 0
   * clears that device's value). Every parameter is applied, or none is. An empty list changes nothing (libvirt
   * accepts it).
   */
  async setBlkioParameters(params: readonly TypedParameterInput[], flags = 0): Promise<void> {
    const fn = publicName('domainSetBlkioParameters');
    this.connection.checkUsable(fn, 'domainSetBlkioParameters');
    // The driver gets the list as checked, read once (see setMemoryParameters).
    const snapshot = checkTypedParamNames(params, fn);
    await this.connection.call('domainSetBlkioParameters', this.ref, snapshot, flags);
  }
  /** virDomainGetBlkioParameters: libvirt's six parameters, `weight` then the five device lists. */
  async getBlkioParameters(flags = 0): Promise<TypedParameter[]> {
    this.connection.checkUsable(publicName('domainGetBlkioParameters'), 'domainGetBlkioParameters');
    checkAffectExclusive(flags);
    return this.connection.call('domainGetBlkioParameters', this.ref, flags);
  }
  /**
   * The blkio tunables by name — a layer over {@link setBlkioParameters}: it builds the typed parameters and flags
   * and makes that one call, so validation, errors and the all-or-nothing guarantee are the same.
   *
   * @example
   * ```ts
   * await dom.setBlkiotune({ weight: 500, devices: [{ path: '/dev/sda', readBytesSec: 10485760n }] }, { config: true });
   * ```
   * @throws VirError a field or value the string form cannot carry, or whatever setBlkioParameters refuses.
   */
  async setBlkiotune(values: BlkiotuneValues, options: AffectOptions | number = {}): Promise<void> {
    this.connection.checkUsable(publicName('domainSetBlkioParameters'), 'domainSetBlkioParameters');
    await this.setBlkioParameters(blkiotuneToParams(values), affectFlags(options));
  }
  /** {@link getBlkioParameters} as the definition's model: the weight (absent when unset) and the devices. */
  async getBlkiotune(options: AffectOptions | number = {}): Promise<BlkioTune> {
    return paramsToBlkioTune(await this.getBlkioParameters(affectFlags(options)));
  }

  private async refresh(): Promise<void> {
    try {
      this.ref = await this.connection.call('lookupDomainByUUID', this.#uuid);
    } catch {
      /* a driver without UUID lookup keeps the old reference */
    }
  }
}

// Whatever a method is given, it returns or throws a VirError (methods added later included).
guardMethods(Domain.prototype);
