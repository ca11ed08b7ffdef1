/**
 * The typed model of a domain definition. Every size is in KiB, as libvirt stores it.
 * Elements virtune does not model are kept in `passthrough`, verbatim and in their place, so a document
 * survives parse → format unchanged.
 */

/**
 * `<memtune>`, KiB: every field is always present; an unset limit is UNLIMITED and an unset guarantee is 0n.
 * Amounts are `bigint`, as everywhere in virtune's API.
 */
export interface MemTune {
  hardLimit: bigint;
  softLimit: bigint;
  minGuarantee: bigint;
  swapHardLimit: bigint;
  /** virtune's extension: `<swap_soft_limit>`. */
  swapSoftLimit: bigint;
}

/**
 * `<cputune>`'s scheduler tunables (the CFS bandwidth and shares libvirt models). Every field is optional: an
 * absent field is "not set" (the element is not printed and the cgroup keeps its default).
 *
 * Units: periods and quotas are microseconds; `shares` is unitless (a relative weight, libvirt's `cpu_shares`).
 * A quota may be negative: `-1` (any negative value libvirt accepts) means "no limit". Everything else
 * `<cputune>` holds (`vcpupin`, `emulatorpin`, `iothreadpin`, `vcpusched`, `cachetune`, `memorytune`, ...) is not
 * modelled and is kept verbatim in its place.
 */
export interface CpuTune {
  /** `<shares>`: relative CPU weight, unitless (libvirt's `cpu_shares`). */
  shares?: bigint;
  /** `<period>`: the vCPU threads' CFS period, µs (`vcpu_period`). */
  period?: bigint;
  /** `<quota>`: the vCPU threads' CFS quota per period, µs; negative = unlimited (`vcpu_quota`). */
  quota?: bigint;
  /** `<global_period>`: the whole domain's CFS period, µs (`global_period`). */
  globalPeriod?: bigint;
  /** `<global_quota>`: the whole domain's CFS quota, µs; negative = unlimited (`global_quota`). */
  globalQuota?: bigint;
  /** `<emulator_period>`: the emulator threads' CFS period, µs (`emulator_period`). */
  emulatorPeriod?: bigint;
  /** `<emulator_quota>`: the emulator threads' CFS quota, µs; negative = unlimited (`emulator_quota`). */
  emulatorQuota?: bigint;
  /** `<iothread_period>`: the I/O threads' CFS period, µs (`iothread_period`). */
  iothreadPeriod?: bigint;
  /** `<iothread_quota>`: the I/O threads' CFS quota, µs; negative = unlimited (`iothread_quota`). */
  iothreadQuota?: bigint;
}

/**
 * One `<blkiotune><device>`: a block device (by path) and its weight and throttles. An absent field is not set.
 */
export interface BlkioDevice {
  /** `<path>`: the block device's path (libvirt resolves it to major:minor when it applies the value). */
  path: string;
  /** `<weight>`: the device's relative weight, unitless (`device_weight`). */
  weight?: number;
  /** `<read_bytes_sec>`: read throttle, bytes per second (`device_read_bytes_sec`). */
  readBytesSec?: bigint;
  /** `<write_bytes_sec>`: write throttle, bytes per second (`device_write_bytes_sec`). */
  writeBytesSec?: bigint;
  /** `<read_iops_sec>`: read throttle, I/O operations per second (`device_read_iops_sec`). */
  readIopsSec?: bigint;
  /** `<write_iops_sec>`: write throttle, I/O operations per second (`device_write_iops_sec`). */
  writeIopsSec?: bigint;
}

/** `<blkiotune>`: the domain's block-I/O weight and its per-device settings, in document order. */
export interface BlkioTune {
  /** `<weight>`: the domain's relative block-I/O weight, unitless (`weight`; libvirt accepts 100..1000 when set). */
  weight?: number;
  /** `<device>` entries, in document order (at most one per path). */
  devices: BlkioDevice[];
}

export interface DomainOS {
  /** `hvm`, `exe`, ... */
  type: string;
  arch?: string;
  machine?: string;
  /** `<boot dev=...>` in order. */
  boot: string[];
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  /** `<init>` (containers). */
  init?: string;
  /** `<initarg>` in order. */
  initargs: string[];
}

export interface DomainVcpu {
  count: number;
  placement?: string;
  current?: number;
}

export interface MemBalloon {
  model: string;
  /** `<stats period=...>` if present, seconds. */
  statsPeriod?: number;
}

/** virtio-mem's sizes (`<target>` of `<memory model='virtio-mem'>`), KiB. */
export interface VirtioMemTarget {
  /** `<block>`: the granularity the guest plugs in. */
  block: bigint;
  /** `<requested>`: how much of `size` the guest is asked to have plugged. */
  requested: bigint;
  /** `<current>`: how much the guest has plugged (live XML only). */
  current?: bigint;
}

/**
 * A `<devices><memory>` device. Every model has a `<target><size>` (it counts toward `<memory>`, libvirt's total);
 * virtio-mem's other sizes are modelled; what else a device holds (source, alias, address, ...) is kept.
 */
export interface MemoryDevice {
  /** `virtio-mem`, `dimm`, `nvdimm`, `virtio-pmem`, `sgx-epc`. */
  model: string;
  /** `<target><size>`, KiB. */
  size: bigint;
  /** `<target><node>`: the guest NUMA node, when given. */
  node?: number;
  virtioMem?: VirtioMemTarget;
  /** What the parser kept verbatim of this device; see {@link Passthrough}. */
  passthrough?: Passthrough;
}

export interface DomainDevices {
  emulator?: string;
  memballoon?: MemBalloon;
  /** `<memory>` devices, in document order. */
  memory?: MemoryDevice[];
}

/**
 * Opaque record of what the parser kept verbatim (unknown elements, comments, attributes). Its shape belongs to
 * src/xml; other modules only carry it along.
 */
export type Passthrough = unknown;

export interface DomainDef {
  /** `<domain type=...>`: test, qemu, kvm, lxc, ... */
  type: string;
  /** `<domain id=...>` of a running domain; absent in inactive XML. */
  id?: number;
  name: string;
  uuid: string;
  title?: string;
  description?: string;
  /** `<maxMemory slots=...>`. */
  maxMemory?: { value: bigint; slots: number };
  /** `<memory>`: the domain's maximum memory, KiB. */
  memory: bigint;
  /** `<currentMemory>`: the balloon target, KiB. */
  currentMemory: bigint;
  memtune: MemTune;
  /** `<blkiotune>`, when the document has one (an empty one is not kept). */
  blkiotune?: BlkioTune;
  vcpu: DomainVcpu;
  /** `<cputune>`'s modelled tunables, when any is set; the rest of `<cputune>` is kept in `passthrough`. */
  cputune?: CpuTune;
  os: DomainOS;
  onPoweroff?: string;
  onReboot?: string;
  onCrash?: string;
  devices: DomainDevices;
  /** What the parser kept verbatim; see {@link Passthrough}. */
  passthrough?: Passthrough;
}
