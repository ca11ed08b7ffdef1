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

/** How a {@link DomainObject} tells the list that holds it that its definitions or id changed. */
interface DomainObjectOwner {
  reindex(obj: DomainObject): void;
}

/**
 * One domain as a driver holds it (libvirt's virDomainObj): its persistent definition, its live definition while
 * it runs, its id and state. A domain always has at least one of the two definitions.
 */
export class DomainObject {
  #config: DomainDef | undefined;
  #live: DomainDef | undefined;
  #id = -1;
  state: DomainState = DomainState.SHUTOFF;
  reason = 0;
  /** Whether the domain starts with the host; drivers that persist it set it. */
  autostart = false;

  /** The definition it was made with: names a transient domain that has stopped and left its list. */
  readonly #first: DomainDef;
  /**
   * The list that holds it, told of every change that can move its name, UUID or id (drivers assign `config`
   * and `live` directly), so the list's indexes never go stale. @internal
   */
  owner: DomainObjectOwner | undefined;
  // The keys its list indexed it under (held here, not as an object of their own: a list may hold thousands).
  /** The name it is indexed under, undefined while not indexed. @internal */
  indexedName: string | undefined;
  /** The UUID key it is indexed under (see uuidKey). @internal */
  indexedUUIDKey = '';
  /** The running id it is indexed under, or undefined. @internal */
  indexedID: number | undefined;
  /** Its place in its list's order. @internal */
  seq = 0;

  constructor(config: DomainDef | undefined, live?: DomainDef) {
    const first = config ?? live;
    if (!first) throw new TypeError('a domain object needs a definition');
    this.#first = first;
    this.#config = config;
    this.#live = live;
  }

  /** The persistent definition; undefined for a transient domain. */
  get config(): DomainDef | undefined {
    return this.#config;
  }
  set config(def: DomainDef | undefined) {
    this.#config = def;
    this.owner?.reindex(this);
  }
  /** The live definition; defined exactly while the domain runs. */
  get live(): DomainDef | undefined {
    return this.#live;
  }
  set live(def: DomainDef | undefined) {
    this.#live = def;
    this.owner?.reindex(this);
  }
  /** The running domain's id, -1 when it is not running. */
  get id(): number {
    return this.#id;
  }
  set id(id: number) {
    this.#id = id;
    this.owner?.reindex(this);
  }

  /** The definition that describes the domain now: live while running, persistent otherwise. */
  get current(): DomainDef {
    return this.#live ?? this.#config ?? this.#first;
  }
  get name(): string {
    return this.current.name;
  }
  get uuid(): string {
    return this.current.uuid;
  }
  get active(): boolean {
    return this.#live !== undefined;
  }
  get persistent(): boolean {
    return this.#config !== undefined;
  }

  /** The definition the `which` side of a resolved flag set names. */
  def(which: 'live' | 'config'): DomainDef {
    const d = which === 'live' ? this.#live : this.#config;
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
    return { def: asInactive && this.#config ? this.#config : this.current, inactive: asInactive };
  }

  /** The reference handed to the connection. */
  ref(): DomainRef {
    return { name: this.name, uuid: this.uuid, id: this.#id };
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

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * UUIDs compare case-insensitively and with or without dashes, as libvirt parses them: the key of 32 hex digits
 * is their canonical form (lower case, 8-4-4-4-12), which definitions already hold, so the index shares their
 * string; anything else is keyed without dashes, in lower case (never equal to a canonical key).
 */
function uuidKey(uuid: string): string {
  if (CANONICAL_UUID.test(uuid)) return uuid;
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return hex;
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/** The running id `obj` is found by now, or undefined. */
function idKeyOf(obj: DomainObject): number | undefined {
  return obj.active && obj.id >= 0 ? obj.id : undefined;
}

/**
 * The objects of a list by one key. The list's rules keep names, UUIDs and running ids unique, but a driver
 * that assigned a definition with another name or UUID could make two objects share one: then the one added
 * first answers, as a scan in list order would find it.
 */
class ObjectIndex<K> {
  readonly #map = new Map<K, DomainObject | DomainObject[]>();

  get(key: K): DomainObject | undefined {
    const b = this.#map.get(key);
    return Array.isArray(b) ? b[0] : b;
  }

  /** True when `obj` is the only object under `key`. */
  holdsOnly(key: K, obj: DomainObject): boolean {
    return this.#map.get(key) === obj;
  }

  add(key: K, obj: DomainObject): void {
    const b = this.#map.get(key);
    if (b === undefined) {
      this.#map.set(key, obj);
      return;
    }
    const shared = Array.isArray(b) ? b : [b];
    let i = shared.length;
    while (i > 0 && shared[i - 1]!.seq > obj.seq) i--;
    shared.splice(i, 0, obj);
    this.#map.set(key, shared);
  }

  delete(key: K, obj: DomainObject): void {
    const b = this.#map.get(key);
    if (b === obj) {
      this.#map.delete(key);
    } else if (Array.isArray(b)) {
      const i = b.indexOf(obj);
      if (i >= 0) b.splice(i, 1);
      if (b.length === 1) this.#map.set(key, b[0]!);
    }
  }
}

/**
 * The in-memory list of a driver's domains (libvirt's virDomainObjList), with lookups, libvirt's define rules and
 * the CONNECT_LIST_DOMAINS_* filter. Driver-neutral: drivers decide what starting and stopping mean.
 *
 * Lookups by name, UUID and id are map lookups (a fleet of 10,000 domains is looked up and defined in linear
 * time): the indexes follow every change of an object's definitions and id, made here or by a driver.
 */
export class DomainObjectList {
  /** Every domain, in the order they were added. */
  readonly #objects = new Set<DomainObject>();
  readonly #byName = new ObjectIndex<string>();
  readonly #byUUID = new ObjectIndex<string>();
  readonly #byID = new ObjectIndex<number>();
  readonly #owner: DomainObjectOwner = { reindex: (obj) => this.#reindex(obj) };
  #nextSeq = 0;
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
    return [...this.#objects];
  }

  get size(): number {
    return this.#objects.size;
  }

  findByUUID(uuid: string): DomainObject | undefined {
    // A UUID that is a key already (a handle carries its object's canonical string) needs no normalizing.
    return this.#byUUID.get(uuid) ?? this.#byUUID.get(uuidKey(uuid));
  }

  findByName(name: string): DomainObject | undefined {
    return this.#byName.get(name);
  }

  findByID(id: number): DomainObject | undefined {
    return id < 0 ? undefined : this.#byID.get(id);
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
    this.#add(obj);
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
    this.#add(obj);
    return obj;
  }

  /** Removes a domain from the list (undefine of an inactive domain, or a transient domain that stopped). */
  remove(obj: DomainObject): void {
    if (!this.#objects.delete(obj)) return;
    this.#unindex(obj);
    obj.owner = undefined;
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

  #add(obj: DomainObject): void {
    obj.seq = this.#nextSeq++;
    obj.owner = this.#owner;
    this.#objects.add(obj);
    this.#index(obj, obj.name, uuidKey(obj.uuid), idKeyOf(obj));
  }

  #index(obj: DomainObject, name: string, uuid: string, id: number | undefined): void {
    obj.indexedName = name;
    obj.indexedUUIDKey = uuid;
    obj.indexedID = id;
    this.#byName.add(name, obj);
    this.#byUUID.add(uuid, obj);
    if (id !== undefined) this.#byID.add(id, obj);
  }

  #unindex(obj: DomainObject): void {
    const name = obj.indexedName;
    if (name === undefined) return;
    obj.indexedName = undefined;
    this.#byName.delete(name, obj);
    this.#byUUID.delete(obj.indexedUUIDKey, obj);
    if (obj.indexedID !== undefined) this.#byID.delete(obj.indexedID, obj);
  }

  /** Moves `obj` to the keys it has now, if they changed. */
  #reindex(obj: DomainObject): void {
    if (obj.indexedName === undefined || !this.#objects.has(obj)) return;
    const name = obj.name;
    // uuidKey is idempotent: a UUID that is its key already needs no normalizing (every live change comes here).
    const uuid = obj.uuid === obj.indexedUUIDKey ? obj.indexedUUIDKey : uuidKey(obj.uuid);
    const id = idKeyOf(obj);
    if (obj.indexedName === name && obj.indexedUUIDKey === uuid && obj.indexedID === id) return;
    this.#unindex(obj);
    this.#index(obj, name, uuid, id);
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
