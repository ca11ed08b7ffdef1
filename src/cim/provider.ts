import type { Connection } from '../connection/connection.js';
import type { Domain } from '../connection/domain.js';
import { ErrorCode, VirError } from '../errors.js';
import { asVirError, guardMethods } from '../error-guard.js';
import { MEMORY_HARD_LIMIT, MEMORY_MIN_GUARANTEE, UNLIMITED } from '../memory/params.js';
import { typedParamsToRecord } from '../typed-params/helpers.js';
import { CIM_NAMESPACE, MEM_RASD_PROPERTIES, prefixForDriver, resolveClass, type ClassPrefix } from './classes.js';
import {
  domainOfMemInstanceID,
  memoryChangeFromRasd,
  memoryChangeParams,
  memRasdInstance,
  memRasdName,
  type MemorySettings,
} from './mem-rasd.js';
import { findKey, type CimInstance, type CimInstanceName, type CimNamedInstance } from './model.js';
import { CimError, CimStatus, isCimError } from './status.js';

/** How the provider may act: read-only unless told otherwise. */
export interface ProviderOptions {
  readonly readWrite?: boolean;
}

/** Keeps the properties a PropertyList names (all when it is undefined), in the class's order. */
function filterProperties(inst: CimInstance, propertyList: readonly string[] | undefined): CimInstance {
  if (propertyList === undefined) return inst;
  const wanted = new Set(propertyList.map((n) => n.toLowerCase()));
  return { ...inst, properties: inst.properties.filter((p) => wanted.has(p.name.toLowerCase())) };
}

const isNoDomain = (e: unknown): boolean => e instanceof VirError && e.code === ErrorCode.NO_DOMAIN;

/**
 * virtune's CIM provider: the memory RASDs of one connection's domains, read and changed through the library's
 * public API (so every change passes the same validation as `virsh memtune`, and is all-or-nothing).
 */
export class CimProvider {
  readonly prefix: ClassPrefix;
  readonly readWrite: boolean;
  // Modifications run one at a time: each reads the current settings and changes only what differs.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly conn: Connection,
    options: ProviderOptions = {},
  ) {
    try {
      this.prefix = prefixForDriver(conn.getType());
      this.readWrite = options.readWrite === true;
    } catch (e) {
      throw asVirError(e, 'CimProvider');
    }
  }

  /** Refuses any namespace but root/virt (CIM_ERR_INVALID_NAMESPACE). */
  checkNamespace(namespace: string): void {
    if (namespace.toLowerCase() !== CIM_NAMESPACE) {
      throw new CimError(CimStatus.INVALID_NAMESPACE, `The namespace '${namespace}' does not exist (virtune serves ${CIM_NAMESPACE})`);
    }
  }

  /** The prefixes whose instances a class holds on this connection. */
  #prefixesOf(className: string): ClassPrefix[] {
    const ref = resolveClass(className);
    const prefixes = ref.kind === 'mem' ? [ref.prefix] : ref.prefixes;
    return prefixes.filter((p) => p === this.prefix);
  }

  async #settings(dom: Domain): Promise<MemorySettings> {
    const [info, params] = await Promise.all([dom.getInfo(), dom.getMemoryParameters(0)]);
    const rec = typedParamsToRecord(params);
    const kib = (name: string, unset: bigint): bigint => {
      const v = rec[name];
      return typeof v === 'bigint' ? v : unset;
    };
    return {
      domain: dom.name,
      bootKiB: info.maxMem,
      hardLimitKiB: kib(MEMORY_HARD_LIMIT, UNLIMITED),
      minGuaranteeKiB: kib(MEMORY_MIN_GUARANTEE, 0n),
    };
  }

  async #all(className: string): Promise<CimNamedInstance[]> {
    if (this.#prefixesOf(className).length === 0) return [];
    const out: CimNamedInstance[] = [];
    for (const dom of await this.conn.listAllDomains(0)) {
      try {
        const s = await this.#settings(dom);
        out.push({ name: memRasdName(this.prefix, s.domain), instance: memRasdInstance(this.prefix, s) });
      } catch (e) {
        // A domain undefined while we list is simply not there any more.
        if (!isNoDomain(e)) throw e;
      }
    }
    return out;
  }

  /** DSP0200 EnumerateInstances. */
  async enumerateInstances(className: string, propertyList?: readonly string[]): Promise<CimNamedInstance[]> {
    return (await this.#all(className)).map((n) => ({ ...n, instance: filterProperties(n.instance, propertyList) }));
  }

  /** DSP0200 EnumerateInstanceNames. */
  async enumerateInstanceNames(className: string): Promise<CimInstanceName[]> {
    return (await this.#all(className)).map((n) => n.name);
  }

  /** The domain an instance name points at, and its current settings. */
  async #lookup(name: CimInstanceName): Promise<{ dom: Domain; settings: MemorySettings }> {
    const ref = resolveClass(name.className);
    const notFound = (): CimError => new CimError(CimStatus.NOT_FOUND, `No such instance: ${describe(name)}`);
    if (ref.kind !== 'mem' || ref.prefix !== this.prefix) throw notFound();
    const extra = name.keys.find((k) => !MEM_RASD_PROPERTIES.some((d) => d.key && d.name.toLowerCase() === k.name.toLowerCase()));
    if (extra) throw new CimError(CimStatus.INVALID_PARAMETER, `'${extra.name}' is not a key of ${ref.name}`);
    const id = findKey(name, 'InstanceID')?.value;
    const domain = id === undefined ? undefined : domainOfMemInstanceID(id);
    if (domain === undefined) throw notFound();
    try {
      const dom = await this.conn.lookupDomainByName(domain);
      return { dom, settings: await this.#settings(dom) };
    } catch (e) {
      if (isNoDomain(e)) throw notFound();
      throw e;
    }
  }

  /** DSP0200 GetInstance. */
  async getInstance(name: CimInstanceName, propertyList?: readonly string[]): Promise<CimInstance> {
    const { settings } = await this.#lookup(name);
    return filterProperties(memRasdInstance(this.prefix, settings), propertyList);
  }

  /**
   * DSP0200 ModifyInstance: Limit becomes hard_limit and Reservation min_guarantee, applied with
   * AFFECT_CURRENT (the running domain if it runs, else its persistent definition) in one
   * setMemoryParameters call, so either every change holds or none does. Refused unless read-write.
   */
  modifyInstance(named: CimNamedInstance, propertyList?: readonly string[]): Promise<void> {
    const run = this.#queue.then(() => this.#modify(named, propertyList));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #modify(named: CimNamedInstance, propertyList?: readonly string[]): Promise<void> {
    if (!this.readWrite) {
      throw new CimError(CimStatus.ACCESS_DENIED, 'This server is read-only: start it with --read-write to allow ModifyInstance');
    }
    if (named.instance.className.toLowerCase() !== named.name.className.toLowerCase()) {
      throw new CimError(CimStatus.INVALID_PARAMETER, `The instance's class ${named.instance.className} is not its name's class ${named.name.className}`);
    }
    const { dom, settings } = await this.#lookup(named.name);
    const params = memoryChangeParams(memoryChangeFromRasd(named.name, named.instance, settings, propertyList));
    if (params.length > 0) await dom.setMemoryParameters(params, 0);
  }
}

// Whatever a method is given, it returns or throws a VirError or one of CIM's own errors.
guardMethods(CimProvider.prototype, isCimError);

function describe(name: CimInstanceName): string {
  return `${name.className}.${name.keys.map((k) => `${k.name}="${k.value}"`).join(',')}`;
}
