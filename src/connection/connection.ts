import { EventEmitter } from 'node:events';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { guardMethods } from '../error-guard.js';
import type { DomainRef, HypervisorDriver } from '../driver.js';
import { ENTRY_POINTS, PUBLIC_ALIASES, publicName, type DriverEntry, type PublicAlias } from '../entry-points.js';
import type { DomainEvent } from '../events.js';
import { CONNECT_RO } from '../flags.js';
import { Domain } from './domain.js';
import { checkDomainID, checkUUIDString } from './public-checks.js';
import { findDriverForURI } from './registry.js';
import { parseURI, type VirURI } from './uri.js';
import './builtin-drivers.js';

export interface OpenOptions {
  /** Refuse every call that changes something (libvirt's VIR_CONNECT_RO). */
  readOnly?: boolean;
}

/**
 * The error domain of libvirt's public-function errors: libvirt-domain.c and libvirt-host.c (every virDomain*
 * function, and virConnectListAllDomains, virConnectGetVersion, virConnectGetHostname) raise from VIR_FROM_DOMAIN;
 * libvirt.c (virConnectClose) from VIR_FROM_NONE. virtune's own functions (virtuneDomain*) count as domain functions.
 */
function publicErrorDomain(fn: string): ErrorDomain {
  return fn === 'virConnectClose' ? ErrorDomain.NONE : ErrorDomain.DOMAIN;
}

export type { DriverEntry } from '../entry-points.js';
type Fn<K extends DriverEntry> = NonNullable<HypervisorDriver[K]> extends (...a: infer A) => infer R ? (...a: A) => R : never;

/**
 * An open connection to one driver (libvirt's virConnectPtr). Obtain it with {@link openConnection}.
 * It emits `'event'` with every {@link DomainEvent} the driver reports.
 */
export class Connection extends EventEmitter<{ event: [DomainEvent] }> {
  #closed = false;
  #subscribed: Promise<void> | undefined;

  /** Made by {@link openConnection}. @internal */
  static fromDriver(uri: VirURI, readOnly: boolean, driver: HypervisorDriver): Connection {
    return new Connection(uri, readOnly, driver);
  }

  // Private: a connection comes from openConnection (its declaration says so to users, who cannot call it).
  private constructor(
    readonly uri: VirURI,
    readonly readOnly: boolean,
    private readonly driver: HypervisorDriver,
  ) {
    super();
    (this as EventEmitter).on('newListener', (name: string | symbol) => {
      // A subscription that fails surfaces through subscribeEvents(); a listener alone cannot receive an error.
      if (name === 'event') this.subscribeEvents().catch(() => {});
    });
  }

  /**
   * Makes sure the driver delivers domain events; resolves once it does. Adding an `'event'` listener calls it,
   * so this is needed only to know when events start to flow (a remote daemon must be asked first) or to see why
   * they cannot. Local drivers deliver events anyway and resolve at once.
   */
  subscribeEvents(): Promise<void> {
    if (this.#subscribed === undefined) {
      const fn = this.driver.subscribeEvents;
      this.#subscribed = fn === undefined || this.#closed ? Promise.resolve() : fn.call(this.driver);
      this.#subscribed.catch(() => {
        this.#subscribed = undefined;
      });
    }
    return this.#subscribed;
  }

  /** Calls a driver entry, or throws libvirt's NO_SUPPORT / read-only error when it cannot. @internal */
  call<K extends DriverEntry>(entry: K, ...args: Parameters<Fn<K>>): Promise<Awaited<ReturnType<Fn<K>>>> {
    // Not async itself: callAs already turns every error into a rejection, and one promise per call is enough.
    return this.callAs(publicName(entry), entry, ...args);
  }

  /**
   * Like {@link call}, for a public function that shares another's entry ({@link PUBLIC_ALIASES}: virDomainSetMaxMemory
   * and virDomainSetMemoryFlags): errors name `alias`. @internal
   */
  callAlias<A extends PublicAlias>(alias: A, ...args: Parameters<Fn<(typeof PUBLIC_ALIASES)[A]>>): Promise<Awaited<ReturnType<Fn<(typeof PUBLIC_ALIASES)[A]>>>> {
    return this.callAs(alias, PUBLIC_ALIASES[alias], ...args);
  }

  private async callAs<K extends DriverEntry>(name: string, entry: K, ...args: Parameters<Fn<K>>): Promise<Awaited<ReturnType<Fn<K>>>> {
    this.checkUsable(name, entry);
    const fn = this.driver[entry] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    if (typeof fn !== 'function') {
      throw new VirError(ErrorCode.NO_SUPPORT, publicErrorDomain(name), name);
    }
    return (await fn.apply(this.driver, args)) as Awaited<ReturnType<Fn<K>>>;
  }

  /**
   * The checks libvirt's public functions make before their argument checks: an open connection
   * (INVALID_CONN), and for an entry that changes something, one that is not read-only (OPERATION_DENIED).
   * Handles call it before checking arguments, so the errors come in libvirt's order. @internal
   */
  checkUsable(name: string, entry: DriverEntry): void {
    if (this.#closed) {
      throw new VirError(ErrorCode.INVALID_CONN, publicErrorDomain(name), name);
    }
    if (this.readOnly && ENTRY_POINTS[entry].mutating) {
      throw new VirError(ErrorCode.OPERATION_DENIED, publicErrorDomain(name), `read only access prevents ${name}`);
    }
  }

  /** True when the driver implements `entry`: lets callers and the CLI ask before they try. */
  supports(entry: DriverEntry): boolean {
    return typeof this.driver[entry] === 'function';
  }

  /** Why the host cannot tune memory, when the connection resolved to the stub driver; undefined otherwise. */
  get unsupportedReason(): string | undefined {
    return this.driver.unsupportedReason;
  }

  /** The driver's type name (virConnectGetType). */
  getType(): string {
    return this.driver.type;
  }

  getURI(): string {
    return this.uri.text;
  }

  async getVersion(): Promise<number> {
    return this.call('getVersion');
  }

  async getHostname(): Promise<string> {
    return this.call('getHostname');
  }

  async lookupDomainByName(name: string): Promise<Domain> {
    return this.wrap(await this.call('lookupDomainByName', name));
  }

  async lookupDomainByUUID(uuid: string): Promise<Domain> {
    this.checkUsable(publicName('lookupDomainByUUID'), 'lookupDomainByUUID');
    checkUUIDString(uuid);
    return this.wrap(await this.call('lookupDomainByUUID', uuid));
  }

  async lookupDomainByID(id: number): Promise<Domain> {
    this.checkUsable(publicName('lookupDomainByID'), 'lookupDomainByID');
    checkDomainID(id);
    return this.wrap(await this.call('lookupDomainByID', id));
  }

  /** Domains matching libvirt's CONNECT_LIST_DOMAINS_* flags (0 = all). */
  async listAllDomains(flags = 0): Promise<Domain[]> {
    return (await this.call('listAllDomains', flags)).map((r) => this.wrap(r));
  }

  /** Defines (or redefines) a persistent domain from its XML. */
  async defineDomainXML(xml: string, flags = 0): Promise<Domain> {
    return this.wrap(await this.call('defineDomainXML', xml, flags));
  }

  /** Starts a transient domain from its XML. */
  async createDomainXML(xml: string, flags = 0): Promise<Domain> {
    return this.wrap(await this.call('createDomainXML', xml, flags));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      // A driver reports here what it could not finish (a deferred status save on a full disk).
      await this.driver.close?.();
    } finally {
      this.removeAllListeners();
    }
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  private wrap(ref: DomainRef): Domain {
    return Domain.fromRef(this, ref);
  }
}

// Whatever a method is given, it returns or throws a VirError (methods added later included).
guardMethods(Connection.prototype);

/**
 * Opens a connection, finding the driver by the URI's scheme (test, qemu, lxc, unsupported, or one registered
 * with {@link registerDriver}).
 *
 * @example
 * ```ts
 * const conn = await openConnection('test:///default');
 * const dom = await conn.lookupDomainByName('test');
 * await dom.setMemoryParameters([{ field: 'hard_limit', type: TypedParameterType.ULLONG, value: 1048576 }], 0);
 * ```
 */
export async function openConnection(uri: string, options: OpenOptions | number = {}): Promise<Connection> {
  const readOnly = typeof options === 'number' ? (options & CONNECT_RO) !== 0 : options?.readOnly === true;
  const parsed = parseURI(uri);
  const factory = await findDriverForURI(parsed);
  let conn: Connection | undefined;
  const driver = await factory.open(parsed, {
    readOnly,
    emit: (event) => conn?.emit('event', event),
  });
  conn = Connection.fromDriver(parsed, readOnly, driver);
  return conn;
}
