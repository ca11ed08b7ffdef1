/**
 * Every entry point of the driver table declared once: libvirt's public function, whether it changes anything, and
 * its family. The connection's NO_SUPPORT and read-only checks, the stub driver's NO_SUPPORT entries, and whatever
 * else needs the list of entries (a recorder, a remote procedure map) are derived from this table — libvirt's
 * `remote_protocol.x` in spirit: one declaration, many uses.
 *
 * Plain data, importing nothing: the model's code may name an entry too. src/driver.ts checks at compile time
 * that the table has exactly one row per entry of the driver table.
 */

/**
 * Every family, and whether it is a **tunable** family: a set of parameters a host may be unable to tune (the stub
 * driver answers its entries with NO_SUPPORT); the other families are the plumbing every driver shares. A new
 * family is a key here and its rows below, and nothing else.
 */
const FAMILIES = {
  connection: false,
  lookup: false,
  lifecycle: false,
  query: false,
  events: false,
  /** memtune and the balloon target: `<memtune>`, `<memory>`, `<currentMemory>`, virtune's reclaim. */
  memory: true,
  /** The balloon's statistics and virtune's cooperation verdict: reported, not tuned. */
  'memory-stats': false,
  /** CPU scheduling: `<cputune>`'s shares and CFS bandwidth (the cgroup cpu controller), the test driver's weight. */
  scheduler: true,
  /** blkiotune: `<blkiotune>`, the blkio (v1) / io (v2) controller. */
  blkio: true,
} as const satisfies Record<string, boolean>;

/** What an entry is about (see {@link TUNABLE_ENTRY_FAMILIES} for which families a host may be unable to tune). */
export type EntryFamily = keyof typeof FAMILIES;

/** The tunable families, in the table's order: the stub driver refuses each of their entries with NO_SUPPORT. */
export const TUNABLE_ENTRY_FAMILIES: readonly EntryFamily[] = (Object.keys(FAMILIES) as EntryFamily[]).filter((f) => FAMILIES[f]);

/** One entry point's facts. */
export interface EntryPoint {
  /** libvirt's public function, as NO_SUPPORT and read-only errors name it (`virDomainSetMemoryParameters`). */
  readonly publicName: string;
  /** True when a read-only connection must refuse it (libvirt's VIR_CONNECT_RO check). */
  readonly mutating: boolean;
  readonly family: EntryFamily;
}

const entry = (publicName: string, family: EntryFamily, mutating = false): EntryPoint => ({ publicName, family, mutating });
const MUTATES = true;

/** The table. A new entry of the driver table (`HypervisorDriver`) does not compile until it has a row here. */
export const ENTRY_POINTS = {
  close: entry('virConnectClose', 'connection'),
  getVersion: entry('virConnectGetVersion', 'connection'),
  getHostname: entry('virConnectGetHostname', 'connection'),
  subscribeEvents: entry('virConnectDomainEventRegisterAny', 'events'),

  lookupDomainByName: entry('virDomainLookupByName', 'lookup'),
  lookupDomainByUUID: entry('virDomainLookupByUUIDString', 'lookup'),
  lookupDomainByID: entry('virDomainLookupByID', 'lookup'),
  listAllDomains: entry('virConnectListAllDomains', 'lookup'),

  defineDomainXML: entry('virDomainDefineXML', 'lifecycle', MUTATES),
  createDomainXML: entry('virDomainCreateXML', 'lifecycle', MUTATES),
  domainCreate: entry('virDomainCreate', 'lifecycle', MUTATES),
  domainDestroy: entry('virDomainDestroy', 'lifecycle', MUTATES),
  domainShutdown: entry('virDomainShutdown', 'lifecycle', MUTATES),
  domainUndefine: entry('virDomainUndefine', 'lifecycle', MUTATES),

  domainGetXMLDesc: entry('virDomainGetXMLDesc', 'query'),
  domainGetInfo: entry('virDomainGetInfo', 'query'),
  domainGetState: entry('virDomainGetState', 'query'),
  domainIsActive: entry('virDomainIsActive', 'query'),
  domainIsPersistent: entry('virDomainIsPersistent', 'query'),

  domainSetMemoryFlags: entry('virDomainSetMemoryFlags', 'memory', MUTATES),
  domainSetMemoryParameters: entry('virDomainSetMemoryParameters', 'memory', MUTATES),
  domainGetMemoryParameters: entry('virDomainGetMemoryParameters', 'memory'),
  // libvirt's getMemoryParameters with nparams=0: the same public function.
  domainGetMemoryParameterCount: entry('virDomainGetMemoryParameters', 'memory'),
  domainReclaimMemory: entry('virtuneDomainReclaimMemory', 'memory', MUTATES),

  domainMemoryStats: entry('virDomainMemoryStats', 'memory-stats'),
  domainSetMemoryStatsPeriod: entry('virDomainSetMemoryStatsPeriod', 'memory-stats', MUTATES),
  domainGetCooperation: entry('virtuneDomainGetCooperation', 'memory-stats'),

  domainGetSchedulerType: entry('virDomainGetSchedulerType', 'scheduler'),
  domainGetSchedulerParameters: entry('virDomainGetSchedulerParametersFlags', 'scheduler'),
  domainSetSchedulerParameters: entry('virDomainSetSchedulerParametersFlags', 'scheduler', MUTATES),
  domainSetBlkioParameters: entry('virDomainSetBlkioParameters', 'blkio', MUTATES),
  domainGetBlkioParameters: entry('virDomainGetBlkioParameters', 'blkio'),
} as const satisfies Record<string, EntryPoint>;

/** The name of one driver entry point (a method of `HypervisorDriver`). */
export type DriverEntry = keyof typeof ENTRY_POINTS;

/**
 * libvirt's public functions that reach an entry under a name of their own: errors name them, and the rest (read-only
 * or not, family) is their entry's row. virDomainSetMaxMemory is virDomainSetMemoryFlags with MEM_MAXIMUM; the
 * flagless scheduler calls are the Flags ones with CURRENT.
 */
export const PUBLIC_ALIASES = {
  virDomainSetMaxMemory: 'domainSetMemoryFlags',
  virDomainGetSchedulerParameters: 'domainGetSchedulerParameters',
  virDomainSetSchedulerParameters: 'domainSetSchedulerParameters',
} as const satisfies Record<string, DriverEntry>;

/** A public function that shares another's entry (see {@link PUBLIC_ALIASES}). */
export type PublicAlias = keyof typeof PUBLIC_ALIASES;

/** libvirt's public function for `entry`. */
export function publicName(entry: DriverEntry): string {
  return ENTRY_POINTS[entry].publicName;
}

/** The entries of one family, in the table's order. */
export function entriesOf(family: EntryFamily): DriverEntry[] {
  return (Object.keys(ENTRY_POINTS) as DriverEntry[]).filter((e) => ENTRY_POINTS[e].family === family);
}
