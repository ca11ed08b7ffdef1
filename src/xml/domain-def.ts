/**
 * The typed model of a domain definition. Every size is in KiB, as libvirt stores it.
 * Elements virtune does not model are kept in `passthrough`, verbatim and in their place, so a document
 * survives parse → format unchanged.
 */

/** `<memtune>`: every field is always present; an unset limit is UNLIMITED and an unset guarantee is 0. */
export interface MemTune {
  hardLimit: number;
  softLimit: number;
  minGuarantee: number;
  swapHardLimit: number;
  /** virtune's extension: `<swap_soft_limit>`. */
  swapSoftLimit: number;
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

export interface DomainDevices {
  emulator?: string;
  memballoon?: MemBalloon;
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
  maxMemory?: { value: number; slots: number };
  /** `<memory>`: the domain's maximum memory, KiB. */
  memory: number;
  /** `<currentMemory>`: the balloon target, KiB. */
  currentMemory: number;
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
