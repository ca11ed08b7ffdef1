import type { DomainRef, HypervisorDriver } from '../../driver.js';
import type { DomainEventSink } from '../../events.js';
import type { DomainObjectList } from '../common/domain-objects.js';
import type { TestDriverContext } from './context.js';
import { createDomainXML, defineDomainXML, domainCreate, domainDestroy, domainShutdown, domainUndefine } from './lifecycle.js';
import { getMemoryParameterCount, getMemoryParameters, setMemoryFlags, setMemoryParameters } from './memory.js';
import { getHostname, getInfo, getState, getXMLDesc } from './query.js';

/** libvirt's test driver reports version 2 (0.0.2). */
const TEST_DRIVER_VERSION = 2;

/**
 * The test driver's table of entry points over one connection's domains: libvirt's `test:///` semantics, all in
 * memory. Changes are seen only through this connection.
 */
export function createTestDriver(domains: DomainObjectList, emit: DomainEventSink): HypervisorDriver {
  const ctx: TestDriverContext = { domains, emit };
  const ref = (o: { ref(): DomainRef }): DomainRef => o.ref();
  return {
    type: 'TEST',
    async close() {},
    async getVersion() {
      return TEST_DRIVER_VERSION;
    },
    getHostname,
    async lookupDomainByName(name) {
      return ref(domains.lookupByName(name));
    },
    async lookupDomainByUUID(uuid) {
      return ref(domains.lookupByUUID(uuid));
    },
    async lookupDomainByID(id) {
      return ref(domains.lookupByID(id));
    },
    async listAllDomains(flags) {
      return domains.listAll(flags, 'testConnectListAllDomains').map(ref);
    },
    defineDomainXML: (xml, flags) => defineDomainXML(ctx, xml, flags),
    createDomainXML: (xml, flags) => createDomainXML(ctx, xml, flags),
    domainCreate: (dom, flags) => domainCreate(ctx, dom, flags),
    domainDestroy: (dom, flags) => domainDestroy(ctx, dom, flags),
    domainShutdown: (dom, flags) => domainShutdown(ctx, dom, flags),
    domainUndefine: (dom, flags) => domainUndefine(ctx, dom, flags),
    domainGetXMLDesc: (dom, flags) => getXMLDesc(ctx, dom, flags),
    domainGetInfo: (dom) => getInfo(ctx, dom),
    domainGetState: (dom, flags) => getState(ctx, dom, flags),
    async domainIsActive(dom) {
      return domains.fromRef(dom).active;
    },
    async domainIsPersistent(dom) {
      return domains.fromRef(dom).persistent;
    },
    domainSetMemoryFlags: (dom, kib, flags) => setMemoryFlags(ctx, dom, kib, flags),
    domainSetMemoryParameters: (dom, params, flags) => setMemoryParameters(ctx, dom, params, flags),
    domainGetMemoryParameters: (dom, flags) => getMemoryParameters(ctx, dom, flags),
    domainGetMemoryParameterCount: (dom, flags) => getMemoryParameterCount(ctx, dom, flags),
  };
}
