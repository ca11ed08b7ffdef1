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
 * What an entry is about. A tunable family (`memory`, and next `scheduler`, `blkio`) is a set of parameters a
 * host may be unable to tune — the stub driver answers its entries with NO_SUPPORT; the other families are the
 * plumbing every driver shares.
 */
export type EntryFamily =
  | 'connection'
  | 'lookup'
  | 'lifecycle'
  | 'query'
  | 'events'
  /** memtune and the balloon target: `<memtune>`, `<memory>`, `<currentMemory>`, virtune's reclaim. */
  | 'memory'
  /** The balloon's statistics and virtune's cooperation verdict: reported, not tuned. */
  | 'memory-stats'
  /** CPU scheduling: `<cputune>`'s shares and CFS bandwidth (the cgroup cpu controller), the test driver's weight. */
  | 'scheduler'
  /** blkiotune: `<blkiotune>`, the blkio (v1) / io (v2) controller. */
  | 'blkio';

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

/** libvirt's public function for `entry`. */
export function publicName(entry: DriverEntry): string {
  return ENTRY_POINTS[entry].publicName;
}

/** The entries of one family, in the table's order. */
export function entriesOf(family: EntryFamily): DriverEntry[] {
  return (Object.keys(ENTRY_POINTS) as DriverEntry[]).filter((e) => ENTRY_POINTS[e].family === family);
}
