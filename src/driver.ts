import type { DriverEntry } from './entry-points.js';
import type { DomainEventSink } from './events.js';
import type { DomainMemoryStatTag, DomainState } from './flags.js';
import type { TypedParameter, TypedParameterInput } from './typed-params/types.js';
import type { VirURI } from './connection/uri.js';

/** What a driver returns to name a domain; the connection wraps it in a {@link Domain} handle. */
export interface DomainRef {
  name: string;
  uuid: string;
  /** The running domain's id, or -1 when it is not running. */
  id: number;
}

/** libvirt's virDomainInfo. Memory figures in KiB (`bigint`, as every memory amount), cpuTime in nanoseconds. */
export interface DomainInfo {
  state: DomainState;
  maxMem: bigint;
  memory: bigint;
  nrVirtCpu: number;
  cpuTime: bigint;
}

export interface DomainStateInfo {
  state: DomainState;
  reason: number;
}

/** Options for Design 2's reclaim: balloon first, cgroup hard limit when the guest does not cooperate. */
export interface ReclaimOptions {
  /** How long the guest has to reach the target, ms. */
  timeoutMs?: number;
  /** Lower the cgroup hard limit if the balloon does not get there. */
  enforce?: boolean;
}

/** A guest's memory figures before or after a reclaim, KiB. */
export interface ReclaimSnapshot {
  balloonKiB: bigint;
  usageKiB?: bigint;
  hardLimitKiB: bigint;
}

/** What {@link HypervisorDriver.domainReclaimMemory} did. */
export interface ReclaimResult {
  /** `balloon` when the guest gave the memory back, `cgroup` when the hard limit was lowered, `none` otherwise. */
  path: 'balloon' | 'cgroup' | 'none';
  targetKiB: bigint;
  before: ReclaimSnapshot;
  after: ReclaimSnapshot;
  elapsedMs: number;
}

/** One figure of libvirt's virDomainMemoryStats: sizes in KiB, faults as counts, last_update in seconds. */
export interface DomainMemoryStat {
  tag: DomainMemoryStatTag;
  /** Exact: QEMU reports 64-bit counters. */
  val: bigint;
}

/**
 * How a guest's balloon is doing, as virtune judges it (virtune's extension; libvirt has no such call).
 * `cooperating`: its driver answers and follows the balloon. `not-cooperating`: it does not (no balloon, stats
 * stale, balloon not moving toward its target): only the cgroup can hold it. `over-ballooned`: it follows the
 * balloon but shows harm (OOM kills, allocation stalls, rising major faults, almost nothing usable): give memory
 * back. `unknown`: not enough to tell yet (stats off, or just switched on).
 */
export type CooperationState = 'cooperating' | 'not-cooperating' | 'over-ballooned' | 'unknown';

/** The reason behind a {@link CooperationVerdict}, one word each. */
export type CooperationReason =
  | 'no-balloon'
  | 'stats-off'
  | 'stats-pending'
  | 'stats-stale'
  | 'balloon-stuck'
  | 'oom-kills'
  | 'alloc-stalls'
  | 'major-faults-rising'
  | 'low-usable'
  | 'balloon-pending'
  | 'balloon-moving'
  | 'ok';

export interface CooperationVerdict {
  state: CooperationState;
  reason: CooperationReason;
  /** The reason in a sentence, with the figures it rests on. */
  detail: string;
  /** The balloon's size now and the last target set through this process, KiB. */
  actualKiB: bigint;
  targetKiB?: bigint;
  /** The stats period in force, seconds (0: off), and how old the guest's last report is, seconds. */
  statsPeriod: number;
  statsAgeS?: number;
}

/** libvirt's virDomainGetSchedulerType: the scheduler's name and how many parameters its getter reports. */
export interface SchedulerType {
  /** `posix` (QEMU, LXC), `fair` (the test driver). */
  type: string;
  nparams: number;
}

/** Options of a cooperation check. */
export interface CooperationOptions {
  /** How long the balloon may take to start moving toward a new target before it counts as stuck, ms. */
  balloonDeadlineMs?: number;
}

/**
 * One open connection's table of entry points, in the spirit of libvirt's virHypervisorDriver.
 * A driver fills in only what it supports; {@link Connection} turns a missing entry into NO_SUPPORT with
 * libvirt's message, so no driver writes "not supported" code. Every entry validates its own flags.
 */
export interface HypervisorDriver {
  /** Short name, as libvirt's virConnectGetType reports it (`TEST`, `QEMU`, `LXC`). */
  readonly type: string;
  /**
   * Set by the stub driver only: why this host cannot tune memory (`the host has no memory cgroup controller`).
   * Its memory-tuning entries then fail with NO_SUPPORT quoting it.
   */
  readonly unsupportedReason?: string;

  close?(): Promise<void>;
  getVersion?(): Promise<number>;
  getHostname?(): Promise<string>;

  lookupDomainByName?(name: string): Promise<DomainRef>;
  lookupDomainByUUID?(uuid: string): Promise<DomainRef>;
  lookupDomainByID?(id: number): Promise<DomainRef>;
  listAllDomains?(flags: number): Promise<DomainRef[]>;
  defineDomainXML?(xml: string, flags: number): Promise<DomainRef>;
  createDomainXML?(xml: string, flags: number): Promise<DomainRef>;

  domainCreate?(dom: DomainRef, flags: number): Promise<void>;
  domainDestroy?(dom: DomainRef, flags: number): Promise<void>;
  domainShutdown?(dom: DomainRef, flags: number): Promise<void>;
  domainUndefine?(dom: DomainRef, flags: number): Promise<void>;
  domainGetXMLDesc?(dom: DomainRef, flags: number): Promise<string>;
  domainGetInfo?(dom: DomainRef): Promise<DomainInfo>;
  domainGetState?(dom: DomainRef, flags: number): Promise<DomainStateInfo>;
  domainIsActive?(dom: DomainRef): Promise<boolean>;
  domainIsPersistent?(dom: DomainRef): Promise<boolean>;
  /** virDomainSetMemoryFlags; DOMAIN_MEM_MAXIMUM in flags makes it setMaxMemory. */
  domainSetMemoryFlags?(dom: DomainRef, kib: bigint, flags: number): Promise<void>;
  domainSetMemoryParameters?(dom: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void>;
  domainGetMemoryParameters?(dom: DomainRef, flags: number): Promise<TypedParameter[]>;
  /** libvirt's getMemoryParameters with nparams=0: how many parameters the driver reports. */
  domainGetMemoryParameterCount?(dom: DomainRef, flags: number): Promise<number>;
  /**
   * Starts delivering domain events, for a driver that must ask for them (the remote driver registers with the
   * daemon). The connection calls it when the first `'event'` listener is added; drivers whose events are local
   * leave it out.
   */
  subscribeEvents?(): Promise<void>;
  /** Design 2 (virtune's extension). */
  domainReclaimMemory?(dom: DomainRef, targetKiB: bigint, options: ReclaimOptions): Promise<ReclaimResult>;
  /** virDomainMemoryStats: the balloon's figures, in libvirt's order (at most DOMAIN_MEMORY_STAT_NR). */
  domainMemoryStats?(dom: DomainRef, flags: number): Promise<DomainMemoryStat[]>;
  /** virDomainSetMemoryStatsPeriod: how often the guest reports its statistics, seconds (0 = never). */
  domainSetMemoryStatsPeriod?(dom: DomainRef, period: number, flags: number): Promise<void>;
  /** Whether the guest co-operates with its balloon, and why (virtune's extension). */
  domainGetCooperation?(dom: DomainRef, options: CooperationOptions): Promise<CooperationVerdict>;
  /** virDomainGetSchedulerType. */
  domainGetSchedulerType?(dom: DomainRef): Promise<SchedulerType>;
  /**
   * virDomainGetSchedulerParametersFlags. The connection passes libvirt's public flags (TYPED_PARAM_STRING_OKAY
   * added); flags 0 is the flagless virDomainGetSchedulerParameters, which reaches drivers as flags 0.
   */
  domainGetSchedulerParameters?(dom: DomainRef, flags: number): Promise<TypedParameter[]>;
  /** virDomainSetSchedulerParametersFlags (the flagless virDomainSetSchedulerParameters is flags 0). */
  domainSetSchedulerParameters?(dom: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void>;
  /** virDomainSetBlkioParameters: `weight` (UINT) and the per-device lists (STRING `path,value,...`). */
  domainSetBlkioParameters?(dom: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void>;
  /** virDomainGetBlkioParameters: libvirt's six, in its order. */
  domainGetBlkioParameters?(dom: DomainRef, flags: number): Promise<TypedParameter[]>;
}

/** True when A and B are the same set of names. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type MustHold<T extends true> = T;
/**
 * Compile-time only: src/entry-points.ts has one row per method of {@link HypervisorDriver} and no other. A new
 * entry without its row (or a row without its entry) stops the build here.
 */
type EntryTableMatchesDriver = MustHold<SameKeys<DriverEntry, Exclude<keyof HypervisorDriver, 'type' | 'unsupportedReason'>>>;

export interface DriverOpenOptions {
  readOnly: boolean;
  /** Where the driver reports domain events. */
  emit: DomainEventSink;
}

/**
 * A driver kind, registered by URI scheme (Kysely's Dialect to the per-connection Driver): it decides whether it
 * serves a URI and opens a {@link HypervisorDriver} for it.
 */
export interface DriverFactory {
  /** The URI schemes it serves (`test`, `qemu`, `lxc`, ...). */
  readonly schemes: readonly string[];
  open(uri: VirURI, options: DriverOpenOptions): Promise<HypervisorDriver>;
}
