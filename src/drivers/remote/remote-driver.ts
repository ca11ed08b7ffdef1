import type { DomainInfo, DomainMemoryStat, DomainRef, DomainStateInfo, HypervisorDriver, SchedulerType } from '../../driver.js';
import type { DomainEventSink } from '../../events.js';
import { DOMAIN_MEMORY_STAT_NR, TYPED_PARAM_STRING_OKAY, type DomainMemoryStatTag, type DomainState } from '../../flags.js';
import type { RpcClient } from '../../rpc/client.js';
import { BLKIO_PARAMETERS_MAX, invoke, MEMORY_PARAMETERS_MAX, notify, REMOTE_PROCEDURES as P, SCHEDULER_PARAMETERS_MAX, type Procedure } from '../../rpc/remote-procedures.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import { subscribeRemoteEvents } from './events.js';

/**
 * A connection to a libvirt daemon (libvirtd, virtqemud, ...) filling virtune's driver table: each entry is one
 * procedure of libvirt's remote protocol, and the daemon's errors come back as they are (code, domain, message).
 * The daemon makes libvirt's checks; virtune's public-function checks still run before a call leaves the process.
 */
export class RemoteDriver implements HypervisorDriver {
  constructor(
    readonly type: string,
    readonly client: RpcClient,
    private readonly emit: DomainEventSink,
  ) {}

  /** Registers with the daemon for lifecycle, tunable and balloon events (the connection calls it once). */
  subscribeEvents(): Promise<void> {
    return subscribeRemoteEvents(this.client, this.emit);
  }

  #call<A, R>(p: Procedure<A, R>, args: A): Promise<R> {
    return invoke(this.client, p, args);
  }

  /**
   * CONNECT_CLOSE, and the daemon closes the connection once it has answered (libvirt's client waits for that
   * answer, then closes its socket). Nothing waits for it here — one round trip less than libvirt's client spends —
   * and the stream is not ended before the daemon closes it: a daemon that read the end of the stream first logs
   * an error for every such connection.
   */
  async close(): Promise<void> {
    if (this.client.closed) return;
    notify(this.client, P.connectClose, undefined);
    await this.client.close({ peerCloses: true });
  }

  getVersion(): Promise<number> {
    return this.#call(P.connectGetVersion, undefined);
  }
  getHostname(): Promise<string> {
    return this.#call(P.connectGetHostname, undefined);
  }

  lookupDomainByName(name: string): Promise<DomainRef> {
    return this.#call(P.domainLookupByName, name);
  }
  lookupDomainByUUID(uuid: string): Promise<DomainRef> {
    return this.#call(P.domainLookupByUUID, uuid);
  }
  lookupDomainByID(id: number): Promise<DomainRef> {
    return this.#call(P.domainLookupByID, id);
  }
  async listAllDomains(flags: number): Promise<DomainRef[]> {
    return (await this.#call(P.connectListAllDomains, { needResults: 1, flags })).domains;
  }
  defineDomainXML(xml: string, flags: number): Promise<DomainRef> {
    return this.#call(P.domainDefineXMLFlags, { xml, flags });
  }
  createDomainXML(xml: string, flags: number): Promise<DomainRef> {
    return this.#call(P.domainCreateXML, { xml, flags });
  }

  async domainCreate(dom: DomainRef, flags: number): Promise<void> {
    await this.#call(P.domainCreateWithFlags, { dom, flags });
  }
  domainDestroy(dom: DomainRef, flags: number): Promise<void> {
    return this.#call(P.domainDestroyFlags, { dom, flags });
  }
  domainShutdown(dom: DomainRef, flags: number): Promise<void> {
    return this.#call(P.domainShutdownFlags, { dom, flags });
  }
  domainUndefine(dom: DomainRef, flags: number): Promise<void> {
    return this.#call(P.domainUndefineFlags, { dom, flags });
  }
  domainGetXMLDesc(dom: DomainRef, flags: number): Promise<string> {
    return this.#call(P.domainGetXMLDesc, { dom, flags });
  }
  async domainGetInfo(dom: DomainRef): Promise<DomainInfo> {
    const i = await this.#call(P.domainGetInfo, dom);
    return { state: i.state as DomainState, maxMem: i.maxMem, memory: i.memory, nrVirtCpu: i.nrVirtCpu, cpuTime: i.cpuTime };
  }
  async domainGetState(dom: DomainRef, flags: number): Promise<DomainStateInfo> {
    const s = await this.#call(P.domainGetState, { dom, flags });
    return { state: s.state as DomainState, reason: s.reason };
  }
  domainIsActive(dom: DomainRef): Promise<boolean> {
    return this.#call(P.domainIsActive, dom);
  }
  domainIsPersistent(dom: DomainRef): Promise<boolean> {
    return this.#call(P.domainIsPersistent, dom);
  }
  domainSetMemoryFlags(dom: DomainRef, kib: bigint, flags: number): Promise<void> {
    return this.#call(P.domainSetMemoryFlags, { dom, memory: kib, flags });
  }
  domainSetMemoryParameters(dom: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void> {
    return this.#call(P.domainSetMemoryParameters, { dom, params, flags });
  }
  async domainGetMemoryParameters(dom: DomainRef, flags: number): Promise<TypedParameter[]> {
    // One round trip: the daemon fills at most nparams entries and reports the rest as none.
    return (await this.#call(P.domainGetMemoryParameters, { dom, nparams: MEMORY_PARAMETERS_MAX, flags })).params;
  }
  async domainMemoryStats(dom: DomainRef, flags: number): Promise<DomainMemoryStat[]> {
    const stats = await this.#call(P.domainMemoryStats, { dom, maxStats: DOMAIN_MEMORY_STAT_NR, flags });
    return stats.map((s) => ({ tag: s.tag as DomainMemoryStatTag, val: s.val }));
  }
  domainSetMemoryStatsPeriod(dom: DomainRef, period: number, flags: number): Promise<void> {
    return this.#call(P.domainSetMemoryStatsPeriod, { dom, period, flags });
  }
  domainGetSchedulerType(dom: DomainRef): Promise<SchedulerType> {
    return this.#call(P.domainGetSchedulerType, dom);
  }
  /**
   * Flags 0 is the flagless virDomainGetSchedulerParameters (the connection adds TYPED_PARAM_STRING_OKAY to every
   * Flags call), so it travels as the flagless procedure: the daemon's driver then sees flags 0, as libvirt's
   * client would have it.
   */
  domainGetSchedulerParameters(dom: DomainRef, flags: number): Promise<TypedParameter[]> {
    const nparams = SCHEDULER_PARAMETERS_MAX;
    return flags === 0
      ? this.#call(P.domainGetSchedulerParameters, { dom, nparams })
      : this.#call(P.domainGetSchedulerParametersFlags, { dom, nparams, flags });
  }
  domainSetSchedulerParameters(dom: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void> {
    return this.#call(P.domainSetSchedulerParametersFlags, { dom, params, flags });
  }
  async domainGetMemoryParameterCount(dom: DomainRef, flags: number): Promise<number> {
    return (await this.#call(P.domainGetMemoryParameters, { dom, nparams: 0, flags })).nparams;
  }
  domainSetBlkioParameters(dom: DomainRef, params: readonly TypedParameterInput[], flags: number): Promise<void> {
    return this.#call(P.domainSetBlkioParameters, { dom, params, flags });
  }
  /**
   * One round trip, as for memory. The device lists are STRING parameters: the daemon drops them unless the call
   * says it takes strings, which libvirt's own client says for every caller (TYPED_PARAM_STRING_OKAY).
   */
  async domainGetBlkioParameters(dom: DomainRef, flags: number): Promise<TypedParameter[]> {
    const args = { dom, nparams: BLKIO_PARAMETERS_MAX, flags: flags | TYPED_PARAM_STRING_OKAY };
    return (await this.#call(P.domainGetBlkioParameters, args)).params;
  }
}
