import { describe, expect, it } from 'vitest';
import { openConnection } from '../../src/index.js';
import type { DomainRef } from '../../src/driver.js';

// A handle keeps the reference's values, not the driver's object (docs/performance.md, memory per domain): what
// it gives out and what it is given must not be able to change it.
describe('a domain handle', () => {
  it('answers its reference as a copy: changing it changes nothing', async () => {
    const conn = await openConnection('test:///default');
    try {
      const dom = await conn.lookupDomainByName('test');
      const ref = dom.reference as DomainRef;
      expect(ref).toEqual({ name: 'test', uuid: dom.uuid, id: dom.id });
      ref.name = 'other';
      ref.uuid = '00000000-0000-0000-0000-000000000000';
      expect([dom.name, dom.reference.name]).toEqual(['test', 'test']);
      expect(await dom.getXMLDesc()).toContain('<name>test</name>');
    } finally {
      await conn.close();
    }
  });

  it('follows its domain through destroy and create (id -1, then the new id)', async () => {
    const conn = await openConnection('test:///default');
    try {
      const dom = await conn.lookupDomainByName('test');
      expect(dom.id).toBeGreaterThan(0);
      await dom.destroy();
      expect([dom.id, dom.reference.id]).toEqual([-1, -1]);
      await dom.create();
      const again = await conn.lookupDomainByName('test');
      expect(dom.id).toBe(again.id);
      expect(dom.id).toBeGreaterThan(0);
      expect(dom.reference).toEqual(again.reference);
    } finally {
      await conn.close();
    }
  });
});
