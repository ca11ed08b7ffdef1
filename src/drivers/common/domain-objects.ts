import { ErrorCode, ErrorDomain, VirError, checkFlags } from '../../errors.js';
import type { DomainRef } from '../../driver.js';
import {
  CONNECT_LIST_DOMAINS_ACTIVE,
  CONNECT_LIST_DOMAINS_ALL_FLAGS,
  CONNECT_LIST_DOMAINS_AUTOSTART,
  CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
  CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
  CONNECT_LIST_DOMAINS_MANAGEDSAVE,
  CONNECT_LIST_DOMAINS_NO_AUTOSTART,
  CONNECT_LIST_DOMAINS_NO_CHECKPOINT,
  CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
  CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
  CONNECT_LIST_DOMAINS_INACTIVE,
  CONNECT_LIST_DOMAINS_OTHER,
  CONNECT_LIST_DOMAINS_PAUSED,
  CONNECT_LIST_DOMAINS_PERSISTENT,
  CONNECT_LIST_DOMAINS_RUNNING,
  CONNECT_LIST_DOMAINS_SHUTOFF,
  CONNECT_LIST_DOMAINS_TRANSIENT,
  DomainState,
  DomainShutoffReason,
} from '../../flags.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { cloneDomainDef } from '../../xml/clone.js';

/**
 * One domain as a driver holds it (libvirt's virDomainObj): its persistent definition, its live definition while
 * it runs, its id and state. A domain always has at least one of the two definitions.
 */
export class DomainObject {
  /** The persistent definition; undefined for a transient domain. */
  config: DomainDef | undefined;
  /** The live definition; defined exactly while the domain runs. */
  live: DomainDef | undefined;
  /** The running domain's id, -1 when it is not running. */
  id = -1;
  state: DomainState = DomainState.SHUTOFF;
  reason = 0;
  /** Whether the domain starts with the host; drivers that persist it set it. */
  autostart = false;

  /** The definition it was made with: names a transient domain that has stopped and left its list. */
  readonly #first: DomainDef;

  constructor(config: DomainDef | undefined, live?: DomainDef) {
    const first = config ?? live;
    if (!first) throw new TypeError('a domain object needs a definition');
    this.#first = first;
    this.config = config;
    this.live = live;
  }

  /** The definition that describes the domain now: live while running, persistent otherwise. */
  get current(): DomainDef {
    return this.live ?? this.config ?? this.#first;
  }
  get name(): string {
    return this.current.name;
  }
  get uuid(): string {
    return this.current.uuid;
  }
  get active(): boolean {
    return this.live !== undefined;
  }
  get persistent(): boolean {
    return this.config !== undefined;
  }

  /** The definition the `which` side of a resolved flag set names. */
  def(which: 'live' | 'config'): DomainDef {
    const d = which === 'live' ? this.live : this.config;
    if (!d) throw new Error(`internal: domain '${this.name}' has no ${which} definition`);
    return d;
  }

  /**
   * What getXMLDesc prints, libvirt's rule: the live definition of a running domain; with `inactive`
   * (DOMAIN_XML_INACTIVE) or when it does not run, the persistent one, printed as inactive (a transient domain
   * has only its live definition).
   */
  xmlDesc(inactive: boolean): { def: DomainDef; inactive: boolean } {
    const asInactive = inactive || !this.active;
    return { def: asInactive && this.config ? this.config : this.current, inactive: asInactive };
  }

  /** The reference handed to the connection. */
  ref(): DomainRef {
    return { name: this.name, uuid: this.uuid, id: this.id };
  }
}

/** Options of a {@link DomainObjectList}. */
export interface DomainObjectListOptions {
  /** The error domain of the driver that owns the list (TEST, QEMU, LXC). */
  errorDomain: ErrorDomain;
  /**
   * libvirt's test driver answers a failed lookup by name, UUID or id with the bare `Domain not found`; QEMU and
   * LXC add `no domain with matching name 'x'`. Operations on an existing handle always say which one.
   */
  bareLookupErrors?: boolean;
}

/** Deep copy of a definition: a live definition must never share objects with the persistent one. */
export const cloneDef: (def: DomainDef) => DomainDef = cloneDomainDef;

/** UUIDs compare case-insensitively and with or without dashes, as libvirt parses them. */
function uuidKey(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase();
}

/**
 * The in-memory list of a driver's domains (libvirt's virDomainObjList), with lookups, libvirt's define rules and
 * the CONNECT_LIST_DOMAINS_* filter. Driver-neutral: drivers decide what starting and stopping mean.
 */
export class DomainObjectList {
  readonly #byUUID = new Map<string, DomainObject>();
  readonly #errorDomain: ErrorDomain;
  readonly #bare: boolean;
  /** The id the next started domain gets: ids start at 1, increase and are never reused. */
  #nextId = 1;

  constructor(options: DomainObjectListOptions) {
    this.#errorDomain = options.errorDomain;
    this.#bare = options.bareLookupErrors === true;
  }

  /** Every domain, in the order they were added. */
  all(): DomainObject[] {
    return [...this.#byUUID.values()];
  }

  get size(): number {
    return this.#byUUID.size;
  }

  findByUUID(uuid: string): DomainObject | undefined {
    return this.#byUUID.get(uuidKey(uuid));
  }

  findByName(name: string): DomainObject | undefined {
    for (const o of this.#byUUID.values()) if (o.name === name) return o;
    return undefined;
  }

  findByID(id: number): DomainObject | undefined {
    if (id < 0) return undefined;
    for (const o of this.#byUUID.values()) if (o.active && o.id === id) return o;
    return undefined;
  }

  /** virDomainLookupByName: the domain, or NO_DOMAIN. */
  lookupByName(name: string): DomainObject {
    const o = this.findByName(name);
    if (!o) throw this.#notFound(`no domain with matching name '${name}'`);
    return o;
  }

  /** virDomainLookupByUUIDString: the domain, or NO_DOMAIN. */
  lookupByUUID(uuid: string): DomainObject {
    const o = this.findByUUID(uuid);
    if (!o) throw this.#notFound(`no domain with matching uuid '${uuid}'`);
    return o;
  }

  /** virDomainLookupByID: the running domain with that id, or NO_DOMAIN. */
  lookupByID(id: number): DomainObject {
    const o = this.findByID(id);
    if (!o) throw this.#notFound(`no domain with matching id ${id}`);
    return o;
  }

  /**
   * The object behind a handle (libvirt's xxxDomObjFromDomain): found by UUID, else NO_DOMAIN naming both the
   * UUID and the name the handle was made for. Never bare: libvirt says which domain vanished.
   */
  fromRef(ref: DomainRef): DomainObject {
    const o = this.findByUUID(ref.uuid);
    if (!o) {
      throw new VirError(
        ErrorCode.NO_DOMAIN,
        this.#errorDomain,
        `no domain with matching uuid '${ref.uuid}' (${ref.name})`,
      );
    }
    return o;
  }

  /**
   * Checks that `def` may be added or may replace a domain (libvirt's virDomainObjListAdd): another domain with
   * the same UUID but another name, or the same name but another UUID, is refused. Returns the existing object
   * with this UUID, if any. Changes nothing.
   */
  checkDefinable(def: DomainDef): DomainObject | undefined {
    const same = this.findByUUID(def.uuid);
    if (same && same.name !== def.name) {
      throw new VirError(
        ErrorCode.OPERATION_FAILED,
        ErrorDomain.DOMAIN,
        `domain '${same.name}' is already defined with uuid ${same.uuid}`,
      );
    }
    if (!same) {
      const named = this.findByName(def.name);
      if (named) {
        throw new VirError(
          ErrorCode.OPERATION_FAILED,
          ErrorDomain.DOMAIN,
          `domain '${named.name}' already exists with uuid ${named.uuid}`,
        );
      }
    }
    return same;
  }

  /**
   * virDomainDefineXML's bookkeeping: a new persistent domain, or a new persistent definition for an existing
   * one (which stays running with its live definition unchanged). Returns the object and whether it is new.
   */
  define(def: DomainDef): { obj: DomainObject; created: boolean } {
    const existing = this.checkDefinable(def);
    if (existing) {
      existing.config = def;
      return { obj: existing, created: false };
    }
    const obj = new DomainObject(def);
    obj.state = DomainState.SHUTOFF;
    obj.reason = DomainShutoffReason.UNKNOWN;
    this.#byUUID.set(uuidKey(def.uuid), obj);
    return { obj, created: true };
  }

  /** Adds a running transient domain (virDomainCreateXML); the caller then calls {@link markStarted}. */
  addTransient(def: DomainDef): DomainObject {
    const existing = this.checkDefinable(def);
    if (existing) {
      throw new VirError(
        ErrorCode.OPERATION_INVALID,
        ErrorDomain.DOMAIN,
        existing.active ? `domain '${existing.name}' is already active` : `domain '${existing.name}' is already defined`,
      );
    }
    const obj = new DomainObject(undefined, def);
    this.#byUUID.set(uuidKey(def.uuid), obj);
    return obj;
  }

  /** Removes a domain from the list (undefine of an inactive domain, or a transient domain that stopped). */
  remove(obj: DomainObject): void {
    if (this.#byUUID.get(uuidKey(obj.uuid)) === obj) this.#byUUID.delete(uuidKey(obj.uuid));
  }

  /**
   * Marks `obj` running with its live definition (a copy of the persistent one unless given) and an id: the next
   * one, or `id` when a driver restores a domain that kept running (later ids then stay above it, so none is
   * handed out twice).
   */
  markStarted(obj: DomainObject, reason: number, live?: DomainDef, id?: number): void {
    obj.live = live ?? obj.live ?? cloneDef(obj.def('config'));
    if (id === undefined) {
      obj.id = this.#nextId++;
    } else {
      obj.id = id;
      this.#nextId = Math.max(this.#nextId, id + 1);
    }
    obj.live.id = obj.id;
    obj.state = DomainState.RUNNING;
    obj.reason = reason;
  }

  /** Drops the live definition; a transient domain leaves the list. */
  markStopped(obj: DomainObject, reason: number): void {
    obj.live = undefined;
    obj.id = -1;
    obj.state = DomainState.SHUTOFF;
    obj.reason = reason;
    if (!obj.persistent) this.remove(obj);
  }

  /**
   * virConnectListAllDomains: the domains matching every flag group present in `flags` (0 = all). Unknown bits
   * are refused in the name of `fn`, the driver's function (libvirt: `testConnectListAllDomains`).
   */
  listAll(flags: number, fn: string): DomainObject[] {
    checkFlags(flags, CONNECT_LIST_DOMAINS_ALL_FLAGS, fn, this.#errorDomain);
    return this.all().filter((o) => matchesListFlags(o, flags));
  }

  #notFound(detail: string): VirError {
    return this.#bare
      ? new VirError(ErrorCode.NO_DOMAIN, this.#errorDomain)
      : new VirError(ErrorCode.NO_DOMAIN, this.#errorDomain, detail);
  }
}

/**
 * libvirt's virDomainObjListFilter: flags come in groups (active/inactive, persistent/transient, the states,
 * managed save, autostart, snapshots, checkpoints); within a group any set bit matches, and every group that has
 * a bit set must match. virtune's in-memory domains have no managed save, autostart, snapshot or checkpoint.
 */
export function matchesListFlags(o: DomainObject, flags: number): boolean {
  const group = (a: number, b: number, isA: boolean): boolean =>
    (flags & (a | b)) === 0 || (isA ? (flags & a) !== 0 : (flags & b) !== 0);
  if (!group(CONNECT_LIST_DOMAINS_ACTIVE, CONNECT_LIST_DOMAINS_INACTIVE, o.active)) return false;
  if (!group(CONNECT_LIST_DOMAINS_PERSISTENT, CONNECT_LIST_DOMAINS_TRANSIENT, o.persistent)) return false;
  if (!group(CONNECT_LIST_DOMAINS_MANAGEDSAVE, CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, false)) return false;
  if (!group(CONNECT_LIST_DOMAINS_AUTOSTART, CONNECT_LIST_DOMAINS_NO_AUTOSTART, o.autostart)) return false;
  if (!group(CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, CONNECT_LIST_DOMAINS_NO_SNAPSHOT, false)) return false;
  if (!group(CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, CONNECT_LIST_DOMAINS_NO_CHECKPOINT, false)) return false;
  const stateBits =
    CONNECT_LIST_DOMAINS_RUNNING | CONNECT_LIST_DOMAINS_PAUSED | CONNECT_LIST_DOMAINS_SHUTOFF | CONNECT_LIST_DOMAINS_OTHER;
  if ((flags & stateBits) !== 0) {
    const bit =
      o.state === DomainState.RUNNING
        ? CONNECT_LIST_DOMAINS_RUNNING
        : o.state === DomainState.PAUSED
          ? CONNECT_LIST_DOMAINS_PAUSED
          : o.state === DomainState.SHUTOFF
            ? CONNECT_LIST_DOMAINS_SHUTOFF
            : CONNECT_LIST_DOMAINS_OTHER;
    if ((flags & bit) === 0) return false;
  }
  return true;
}
