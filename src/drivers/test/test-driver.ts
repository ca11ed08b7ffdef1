import type { DomainRef, HypervisorDriver } from '../../driver.js';
import type { DomainEventSink } from '../../events.js';
import type { DomainObjectList } from '../common/domain-objects.js';
import type { TestDriverContext } from './context.js';
import { getMemoryParameterCount, getMemoryParameters, setMemoryFlags, setMemoryParameters } from './memory.js';
import { memoryStats, setMemoryStatsPeriod } from './memory-stats.js';
import { getSchedulerParameters, getSchedulerType, setSchedulerParameters } from './scheduler.js';
import { getBlkioParameters, setBlkioParameters } from './blkio.js';

// Lifecycle and query entry points load on first call: a one-shot `virtune memtune` needs neither, and every
// module loaded costs the CLI's cold start (see docs/cli.md). The promise is kept: an `import()` per call goes
// through the module loader's resolution every time (a few percent of a define).
let lifecycleModule: Promise<typeof import('./lifecycle.js')> | undefined;
let queryModule: Promise<typeof import('./query.js')> | undefined;
const lifecycle = () => (lifecycleModule ??= import('./lifecycle.js'));
const query = () => (queryModule ??= import('./query.js'));

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
    getHostname: async () => (await query()).getHostname(),
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
    defineDomainXML: async (xml, flags) => (await lifecycle()).defineDomainXML(ctx, xml, flags),
    createDomainXML: async (xml, flags) => (await lifecycle()).createDomainXML(ctx, xml, flags),
    domainCreate: async (dom, flags) => (await lifecycle()).domainCreate(ctx, dom, flags),
    domainDestroy: async (dom, flags) => (await lifecycle()).domainDestroy(ctx, dom, flags),
    domainShutdown: async (dom, flags) => (await lifecycle()).domainShutdown(ctx, dom, flags),
    domainUndefine: async (dom, flags) => (await lifecycle()).domainUndefine(ctx, dom, flags),
    domainGetXMLDesc: async (dom, flags) => (await query()).getXMLDesc(ctx, dom, flags),
    domainGetInfo: async (dom) => (await query()).getInfo(ctx, dom),
    domainGetState: async (dom, flags) => (await query()).getState(ctx, dom, flags),
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
    domainMemoryStats: (dom, flags) => memoryStats(ctx, dom, flags),
    domainSetMemoryStatsPeriod: (dom, period, flags) => setMemoryStatsPeriod(ctx, dom, period, flags),
    domainGetSchedulerType: () => getSchedulerType(),
    domainGetSchedulerParameters: (dom, flags) => getSchedulerParameters(ctx, dom, flags),
    domainSetSchedulerParameters: (dom, params, flags) => setSchedulerParameters(ctx, dom, params, flags),
    domainSetBlkioParameters: (dom, params, flags) => setBlkioParameters(ctx, dom, params, flags),
    domainGetBlkioParameters: (dom, flags) => getBlkioParameters(ctx, dom, flags),
  };
}
