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
  vcpu: DomainVcpu;
  os: DomainOS;
  onPoweroff?: string;
  onReboot?: string;
  onCrash?: string;
  devices: DomainDevices;
  /** What the parser kept verbatim; see {@link Passthrough}. */
  passthrough?: Passthrough;
}
