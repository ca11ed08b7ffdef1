import { hostname } from 'node:os';
import { checkFlags } from '../../errors.js';
import type { DomainInfo, DomainRef, DomainStateInfo } from '../../driver.js';
import { DOMAIN_XML_INACTIVE, DOMAIN_XML_MIGRATABLE, DOMAIN_XML_SECURE } from '../../flags.js';
import { TEST_ERROR_DOMAIN as E, type TestDriverContext } from './context.js';
import { domainFormatter } from './xml-bridge.js';

/** testDomainGetXMLDesc: the live definition of a running domain, else (or with INACTIVE) the persistent one. */
export async function getXMLDesc(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<string> {
  checkFlags(flags, DOMAIN_XML_SECURE | DOMAIN_XML_INACTIVE | DOMAIN_XML_MIGRATABLE, 'testDomainGetXMLDesc', E);
  const format = await domainFormatter();
  const { def, inactive } = ctx.domains.fromRef(ref).xmlDesc((flags & DOMAIN_XML_INACTIVE) !== 0);
  return format(def, inactive);
}

/** testDomainGetInfo; like libvirt's test driver, cpuTime is the wall clock in nanoseconds. */
export async function getInfo(ctx: TestDriverContext, ref: DomainRef): Promise<DomainInfo> {
  const obj = ctx.domains.fromRef(ref);
  const def = obj.current;
  return {
    state: obj.state,
    maxMem: def.memory,
    memory: def.currentMemory,
    nrVirtCpu: def.vcpu.count,
    cpuTime: BigInt(Date.now()) * 1_000_000n,
  };
}

/** testDomainGetState. */
export async function getState(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<DomainStateInfo> {
  checkFlags(flags, 0, 'testDomainGetState', E);
  const obj = ctx.domains.fromRef(ref);
  return { state: obj.state, reason: obj.reason };
}

/** testConnectGetHostname. */
export async function getHostname(): Promise<string> {
  return hostname();
}
