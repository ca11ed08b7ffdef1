import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../src/index.js';
import { DEFAULT_DOMAIN_XML } from '../../../src/drivers/test/default-domain.js';
import { defaultDomainDef } from '../../../src/drivers/test/default-domain-def.js';
import { applyTestDefaults } from '../../../src/drivers/test/defaults.js';
import { parseDomainXML } from '../../../src/xml/index.js';
import { DOMAIN_XML_INACTIVE, DomainState } from '../../../src/flags.js';
import { skipUnless } from '../../helpers/prereq.js';

const open: Connection[] = [];
async function conn(): Promise<Connection> {
  const c = await openConnection('test:///default');
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

const RUNNING_XML = DEFAULT_DOMAIN_XML.replace("<domain type='test'>", "<domain type='test' id='1'>");

describe('test:///default', () => {
  it('its pre-parsed definition is exactly what parsing its XML gives', () => {
    const parsed = parseDomainXML(DEFAULT_DOMAIN_XML);
    expect(defaultDomainDef()).toStrictEqual(parsed);
    expect(applyTestDefaults(parseDomainXML(DEFAULT_DOMAIN_XML))).toStrictEqual(parsed);
  });

  it('hands out a fresh copy each time', () => {
    const a = defaultDomainDef();
    a.memtune.hardLimit = 1n;
    (a.passthrough as { domain: { children: unknown[] } }).domain.children.length = 0;
    expect(defaultDomainDef()).toStrictEqual(parseDomainXML(DEFAULT_DOMAIN_XML));
  });

  it('holds one running domain test, id 1', async () => {
    const c = await conn();
    const doms = await c.listAllDomains();
    expect(doms.map((d) => [d.name, d.id])).toEqual([['test', 1]]);
    const d = await c.lookupDomainByID(1);
    expect(d.uuid).toBe('6695eb01-f6a4-8304-79aa-97f2502e193f');
    expect(await d.getState()).toEqual({ state: DomainState.RUNNING, reason: 0 });
    expect(await d.isPersistent()).toBe(true);
    const info = await d.getInfo();
    expect([info.state, info.maxMem, info.memory, info.nrVirtCpu]).toEqual([DomainState.RUNNING, 8388608n, 2097152n, 2]);
  });

  it('prints its XML as libvirt does', async () => {
    const d = await (await conn()).lookupDomainByName('test');
    expect(await d.getXMLDesc()).toBe(RUNNING_XML);
    expect(await d.getXMLDesc(DOMAIN_XML_INACTIVE)).toBe(DEFAULT_DOMAIN_XML);
  });

  it('keeps state per connection', async () => {
    const a = await conn();
    const b = await conn();
    await (await a.lookupDomainByName('test')).destroy();
    expect(await (await a.lookupDomainByName('test')).isActive()).toBe(false);
    expect(await (await b.lookupDomainByName('test')).isActive()).toBe(true);
  });
});

describe.skipIf(skipUnless('virsh'))('test:///default against virsh', () => {
  it('getXMLDesc is byte-identical to virsh dumpxml (less the blank line virsh adds)', async () => {
    const d = await (await conn()).lookupDomainByName('test');
    for (const [args, flags] of [
      [[], 0],
      [['--inactive'], DOMAIN_XML_INACTIVE],
    ] as const) {
      const virsh = execFileSync('virsh', ['-c', 'test:///default', 'dumpxml', 'test', ...args], { encoding: 'utf8' });
      expect(`${await d.getXMLDesc(flags)}\n`).toBe(virsh);
    }
  });
});
