/**
 * libvirt's virDomainModificationImpact: which definition a change affects.
 * @deprecated the same values as `DOMAIN_AFFECT_CURRENT`, `DOMAIN_AFFECT_LIVE` and `DOMAIN_AFFECT_CONFIG`: use those.
 */
export const DomainModificationImpact = {
  /** The live definition of a running domain, the persistent one of an inactive domain. */
  AFFECT_CURRENT: 0,
  AFFECT_LIVE: 1,
  AFFECT_CONFIG: 2,
} as const;
export const DOMAIN_AFFECT_CURRENT = 0;
export const DOMAIN_AFFECT_LIVE = 1;
export const DOMAIN_AFFECT_CONFIG = 2;
/** VIR_TYPED_PARAM_STRING_OKAY: the caller understands string parameters. */
export const TYPED_PARAM_STRING_OKAY = 4;

/** virDomainMemoryModFlags: setMemory with MEM_MAXIMUM changes the maximum (setMaxMemory). */
export const DOMAIN_MEM_CURRENT = 0;
export const DOMAIN_MEM_LIVE = 1;
export const DOMAIN_MEM_CONFIG = 2;
export const DOMAIN_MEM_MAXIMUM = 4;

/** virDomainXMLFlags for getXMLDesc. */
export const DOMAIN_XML_SECURE = 1;
export const DOMAIN_XML_INACTIVE = 2;
export const DOMAIN_XML_UPDATE_CPU = 4;
export const DOMAIN_XML_MIGRATABLE = 8;

/** virDomainDefineFlags. */
export const DOMAIN_DEFINE_VALIDATE = 1;

/** virDomainCreateFlags for create and createXML. */
export const DOMAIN_START_PAUSED = 1;
export const DOMAIN_START_AUTODESTROY = 2;
export const DOMAIN_START_BYPASS_CACHE = 4;
export const DOMAIN_START_FORCE_BOOT = 8;
/** createXML validates the document against libvirt's schema. */
export const DOMAIN_START_VALIDATE = 16;

/** virDomainDestroyFlagsValues: GRACEFUL sends SIGTERM only. */
export const DOMAIN_DESTROY_GRACEFUL = 1;

/** virDomainShutdownFlagValues: the shutdown methods a caller allows (none = the driver chooses). */
export const DOMAIN_SHUTDOWN_ACPI_POWER_BTN = 1;
export const DOMAIN_SHUTDOWN_GUEST_AGENT = 2;
export const DOMAIN_SHUTDOWN_INITCTL = 4;
export const DOMAIN_SHUTDOWN_SIGNAL = 8;
export const DOMAIN_SHUTDOWN_PARAVIRT = 16;

/** virDomainUndefineFlagsValues. */
export const DOMAIN_UNDEFINE_MANAGED_SAVE = 1;
export const DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = 2;
export const DOMAIN_UNDEFINE_NVRAM = 4;
export const DOMAIN_UNDEFINE_KEEP_NVRAM = 8;
export const DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = 16;
export const DOMAIN_UNDEFINE_TPM = 32;
export const DOMAIN_UNDEFINE_KEEP_TPM = 64;

/** virConnectListAllDomainsFlags. */
export const CONNECT_LIST_DOMAINS_ACTIVE = 1;
export const CONNECT_LIST_DOMAINS_INACTIVE = 2;
export const CONNECT_LIST_DOMAINS_PERSISTENT = 4;
export const CONNECT_LIST_DOMAINS_TRANSIENT = 8;
export const CONNECT_LIST_DOMAINS_RUNNING = 16;
export const CONNECT_LIST_DOMAINS_PAUSED = 32;
export const CONNECT_LIST_DOMAINS_SHUTOFF = 64;
export const CONNECT_LIST_DOMAINS_OTHER = 128;
export const CONNECT_LIST_DOMAINS_MANAGEDSAVE = 256;
export const CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 512;
export const CONNECT_LIST_DOMAINS_AUTOSTART = 1024;
export const CONNECT_LIST_DOMAINS_NO_AUTOSTART = 2048;
export const CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 4096;
export const CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 8192;
export const CONNECT_LIST_DOMAINS_HAS_CHECKPOINT = 16384;
export const CONNECT_LIST_DOMAINS_NO_CHECKPOINT = 32768;
/** Every CONNECT_LIST_DOMAINS_* bit libvirt 9.0 defines. */
export const CONNECT_LIST_DOMAINS_ALL_FLAGS = 0xffff;

/** virConnectFlags for openConnection. */
export const CONNECT_RO = 1;

/** libvirt's virDomainState. */
export enum DomainState {
  NOSTATE = 0,
  RUNNING = 1,
  BLOCKED = 2,
  PAUSED = 3,
  SHUTDOWN = 4,
  SHUTOFF = 5,
  CRASHED = 6,
  PMSUSPENDED = 7,
}

/** virDomainRunningReason. */
export enum DomainRunningReason {
  UNKNOWN = 0,
  BOOTED = 1,
  MIGRATED = 2,
  RESTORED = 3,
  FROM_SNAPSHOT = 4,
  UNPAUSED = 5,
  MIGRATION_CANCELED = 6,
  SAVE_CANCELED = 7,
  WAKEUP = 8,
  CRASHED = 9,
  POSTCOPY = 10,
}

/** virDomainShutoffReason. */
export enum DomainShutoffReason {
  UNKNOWN = 0,
  SHUTDOWN = 1,
  DESTROYED = 2,
  CRASHED = 3,
  MIGRATED = 4,
  SAVED = 5,
  FAILED = 6,
  FROM_SNAPSHOT = 7,
  DAEMON = 8,
}

/** libvirt's virDomainMemoryStatTags: what each figure of virDomainMemoryStats is. */
export enum DomainMemoryStatTag {
  SWAP_IN = 0,
  SWAP_OUT = 1,
  MAJOR_FAULT = 2,
  MINOR_FAULT = 3,
  UNUSED = 4,
  AVAILABLE = 5,
  ACTUAL_BALLOON = 6,
  RSS = 7,
  USABLE = 8,
  LAST_UPDATE = 9,
  DISK_CACHES = 10,
  HUGETLB_PGALLOC = 11,
  HUGETLB_PGFAIL = 12,
}

/** VIR_DOMAIN_MEMORY_STAT_NR in libvirt 9.0: how many tags there are. */
export const DOMAIN_MEMORY_STAT_NR = 13;

/** The name virsh's `dommemstat` (and libvirt's Python binding) gives each tag. */
export const DOMAIN_MEMORY_STAT_NAMES: Readonly<Record<DomainMemoryStatTag, string>> = {
  [DomainMemoryStatTag.SWAP_IN]: 'swap_in',
  [DomainMemoryStatTag.SWAP_OUT]: 'swap_out',
  [DomainMemoryStatTag.MAJOR_FAULT]: 'major_fault',
  [DomainMemoryStatTag.MINOR_FAULT]: 'minor_fault',
  [DomainMemoryStatTag.UNUSED]: 'unused',
  [DomainMemoryStatTag.AVAILABLE]: 'available',
  [DomainMemoryStatTag.ACTUAL_BALLOON]: 'actual',
  [DomainMemoryStatTag.RSS]: 'rss',
  [DomainMemoryStatTag.USABLE]: 'usable',
  [DomainMemoryStatTag.LAST_UPDATE]: 'last_update',
  [DomainMemoryStatTag.DISK_CACHES]: 'disk_caches',
  [DomainMemoryStatTag.HUGETLB_PGALLOC]: 'hugetlb_pgalloc',
  [DomainMemoryStatTag.HUGETLB_PGFAIL]: 'hugetlb_pgfail',
};

/** Which definitions a change or a query affects, by name: the readable form of DOMAIN_AFFECT_*. */
export interface AffectOptions {
  /** The running domain (DOMAIN_AFFECT_LIVE). */
  live?: boolean;
  /** The persistent definition (DOMAIN_AFFECT_CONFIG). */
  config?: boolean;
}

/**
 * DOMAIN_AFFECT_* flags from {@link AffectOptions} (neither set is CURRENT); a number is taken as flags already.
 *
 * @example
 * ```ts
 * affectFlags({ live: true, config: true }); // DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG
 * ```
 */
export function affectFlags(options: AffectOptions | number = {}): number {
  if (typeof options === 'number') return options;
  return (options.live ? DOMAIN_AFFECT_LIVE : 0) | (options.config ? DOMAIN_AFFECT_CONFIG : 0);
}
