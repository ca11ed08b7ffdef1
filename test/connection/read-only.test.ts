import { describe, expect, it } from 'vitest';
import { CONNECT_RO, DOMAIN_XML_INACTIVE, ErrorCode, ErrorDomain, openConnection, type Connection, type Domain } from '../../src/index.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { domainXML } from '../helpers/domain-xml.js';
import { rejection } from '../helpers/vir-error.js';

/**
 * Every entry that changes something, with the libvirt function a read-only connection names in its refusal
 * (measured: python3-libvirt on test:///default opened read-only, libvirt 9.0).
 */
const MUTATIONS: [string, (conn: Connection, dom: Domain) => Promise<unknown>][] = [
  ['virDomainDefineXML', (conn) => conn.defineDomainXML(domainXML('ro'))],
  ['virDomainCreateXML', (conn) => conn.createDomainXML(domainXML('ro'))],
  ['virDomainCreate', (_c, dom) => dom.create()],
  ['virDomainDestroy', (_c, dom) => dom.destroy()],
  ['virDomainShutdown', (_c, dom) => dom.shutdown()],
  ['virDomainUndefine', (_c, dom) => dom.undefine()],
  ['virDomainSetMemoryFlags', (_c, dom) => dom.setMemory(1024)],
  ['virDomainSetMaxMemory', (_c, dom) => dom.setMaxMemory(1024)],
  ['virDomainSetMemoryParameters', (_c, dom) => dom.setMemoryParameters([{ field: 'hard_limit', type: T.ULLONG, value: 1n }])],
  ['virtuneDomainReclaimMemory', (_c, dom) => dom.reclaimMemory(1024)],
];

/** Everything a caller can observe of test:///default's state. */
async function state(conn: Connection): Promise<unknown> {
  const doms = await conn.listAllDomains();
  return Promise.all(
    doms.map(async (d) => [d.name, await d.getState(), await d.getXMLDesc(), await d.getXMLDesc(DOMAIN_XML_INACTIVE), await d.getMemoryParameters()]),
  );
}

describe('read-only connections', () => {
  it.each(MUTATIONS)('refuse %s with OPERATION_DENIED and change nothing', async (fn, call) => {
    const ro = await openConnection('test:///default', { readOnly: true });
    const events: unknown[] = [];
    ro.on('event', (e) => events.push(e));
    try {
      const dom = await ro.lookupDomainByName('test');
      const before = await state(ro);
      const e = await rejection(call(ro, dom));
      expect([e.code, e.domain, e.message]).toEqual([
        ErrorCode.OPERATION_DENIED,
        ErrorDomain.DOMAIN,
        `operation forbidden: read only access prevents ${fn}`,
      ]);
      expect(await state(ro)).toEqual(before);
      expect(events).toEqual([]);
    } finally {
      await ro.close();
    }
  });

  it('refuse before any argument check, as libvirt does', async () => {
    const ro = await openConnection('test:///default', CONNECT_RO);
    try {
      expect(ro.readOnly).toBe(true);
      const dom = await ro.lookupDomainByName('test');
      expect((await rejection(dom.setMemory(0))).code).toBe(ErrorCode.OPERATION_DENIED);
      expect((await rejection(dom.setMaxMemory(-1))).code).toBe(ErrorCode.OPERATION_DENIED);
      expect((await rejection(dom.setMemoryParameters([]))).code).toBe(ErrorCode.OPERATION_DENIED);
      expect((await rejection(dom.setMemoryParameters([{ field: 'bogus', type: T.INT, value: 1 }]))).code).toBe(
        ErrorCode.OPERATION_DENIED,
      );
    } finally {
      await ro.close();
    }
  });

  it('still answer every query', async () => {
    const ro = await openConnection('test:///default', { readOnly: true });
    try {
      const dom = await ro.lookupDomainByName('test');
      expect((await dom.getMemoryParameters()).map((p) => p.field)).toEqual(['hard_limit', 'soft_limit', 'swap_hard_limit']);
      expect(await dom.getMemoryParameterCount()).toBe(3);
      expect((await dom.getInfo()).maxMem).toBe(8388608n);
      expect(await dom.getXMLDesc()).toContain('<name>test</name>');
      expect((await ro.listAllDomains()).map((d) => d.name)).toEqual(['test']);
    } finally {
      await ro.close();
    }
  });
});
