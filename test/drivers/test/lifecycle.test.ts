import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import {
  DomainEventDefinedDetail,
  DomainEventStartedDetail,
  DomainEventStoppedDetail,
  DomainEventType,
  DomainEventUndefinedDetail,
} from '../../../src/events.js';
import {
  CONNECT_LIST_DOMAINS_ACTIVE,
  CONNECT_LIST_DOMAINS_INACTIVE,
  CONNECT_LIST_DOMAINS_TRANSIENT,
  DOMAIN_XML_INACTIVE,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
} from '../../../src/flags.js';
import { connections } from '../../helpers/connections.js';
import { domainXML } from '../../helpers/domain-xml.js';
import { rejection } from '../../helpers/vir-error.js';

const c = connections();

describe('test driver lifecycle', () => {
  it('define, start, destroy, undefine, with lifecycle events', async () => {
    const { conn, events } = await c.open();
    const d = await conn.defineDomainXML(domainXML('a'));
    expect([d.id, await d.isActive(), await d.isPersistent()]).toEqual([-1, false, true]);
    expect(await d.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.UNKNOWN });
    await d.create();
    expect(d.id).toBe(2);
    expect(await d.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.BOOTED });
    expect(await d.getXMLDesc()).toMatch(/^<domain type='test' id='2'>/);
    await d.destroy();
    expect(await d.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.DESTROYED });
    await d.undefine();
    const gone = await rejection(d.getState());
    expect([gone.code, gone.domain, gone.message]).toEqual([
      ErrorCode.NO_DOMAIN,
      ErrorDomain.TEST,
      `Domain not found: no domain with matching uuid '${d.uuid}' (a)`,
    ]);
    expect(events.map((e) => (e.kind === 'lifecycle' ? [e.event, e.detail] : e.kind))).toEqual([
      [DomainEventType.DEFINED, DomainEventDefinedDetail.ADDED],
      [DomainEventType.STARTED, DomainEventStartedDetail.BOOTED],
      [DomainEventType.STOPPED, DomainEventStoppedDetail.DESTROYED],
      [DomainEventType.UNDEFINED, DomainEventUndefinedDetail.REMOVED],
    ]);
  });

  it("answers misuse with libvirt's errors", async () => {
    const { conn } = await c.open();
    const t = await conn.lookupDomainByName('test');
    const running = await rejection(t.create());
    expect([running.code, running.domain, running.message]).toEqual([
      ErrorCode.INTERNAL_ERROR,
      ErrorDomain.TEST,
      "internal error: Domain 'test' is already running",
    ]);
    const notFound = await rejection(conn.lookupDomainByName('nope'));
    expect([notFound.code, notFound.domain, notFound.message]).toEqual([ErrorCode.NO_DOMAIN, ErrorDomain.TEST, 'Domain not found']);
    const dupUuid = await rejection(
      conn.defineDomainXML(domainXML('other', '<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>')),
    );
    expect([dupUuid.code, dupUuid.domain, dupUuid.message]).toEqual([
      ErrorCode.OPERATION_FAILED,
      ErrorDomain.DOMAIN,
      "operation failed: domain 'test' is already defined with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f",
    ]);
    const active = await rejection(conn.createDomainXML(domainXML('test', '<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>')));
    expect(active.message).toBe("Requested operation is not valid: domain 'test' is already active");
    await t.destroy();
    expect((await rejection(t.destroy())).message).toBe('Requested operation is not valid: domain is not running');
    expect((await rejection(t.create(64))).message).toBe('unsupported flags (0x40) in function testDomainCreateWithFlags');
    expect((await rejection(t.getXMLDesc(4))).message).toBe('unsupported flags (0x4) in function testDomainGetXMLDesc');
    expect((await rejection(conn.listAllDomains(1 << 16))).message).toBe(
      'unsupported flags (0x10000) in function testConnectListAllDomains',
    );
  });

  it('redefining a running domain changes only its persistent definition', async () => {
    const { conn, events } = await c.open();
    const t = await conn.lookupDomainByName('test');
    await conn.defineDomainXML(domainXML('test', '<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>'));
    expect((await t.getInfo()).maxMem).toBe(8388608n);
    expect(await t.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain("<memory unit='KiB'>1048576</memory>");
    expect(events.at(-1)).toMatchObject({ kind: 'lifecycle', event: DomainEventType.DEFINED, detail: DomainEventDefinedDetail.UPDATED });
  });

  it('a transient domain vanishes when destroyed; undefining a running one makes it transient', async () => {
    const { conn } = await c.open();
    const tr = await conn.createDomainXML(domainXML('tr'));
    expect([tr.id, await tr.isPersistent()]).toEqual([2, false]);
    expect((await conn.listAllDomains(CONNECT_LIST_DOMAINS_TRANSIENT)).map((d) => d.name)).toEqual(['tr']);
    await tr.destroy();
    expect((await rejection(conn.lookupDomainByName('tr'))).code).toBe(ErrorCode.NO_DOMAIN);
    const t = await conn.lookupDomainByName('test');
    await t.undefine();
    expect([await t.isActive(), await t.isPersistent()]).toEqual([true, false]);
    await t.destroy();
    expect(await conn.listAllDomains()).toEqual([]);
  });

  it('createDomainXML starts an inactive persistent domain with the given definition', async () => {
    const { conn } = await c.open();
    const t = await conn.lookupDomainByName('test');
    await t.destroy();
    const started = await conn.createDomainXML(domainXML('test', '<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>'));
    expect([started.id, await started.isPersistent()]).toEqual([2, true]);
    expect((await started.getInfo()).maxMem).toBe(1048576n);
    expect(await started.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain("<memory unit='KiB'>8388608</memory>");
  });

  it('lists by flags', async () => {
    const { conn } = await c.open();
    await conn.defineDomainXML(domainXML('off'));
    expect((await conn.listAllDomains(CONNECT_LIST_DOMAINS_ACTIVE)).map((d) => d.name)).toEqual(['test']);
    expect((await conn.listAllDomains(CONNECT_LIST_DOMAINS_INACTIVE)).map((d) => d.name)).toEqual(['off']);
  });
});

describe('test:///PATH.xml', () => {
  const dir = mkdtempSync(join(tmpdir(), `virtune-test-driver-${process.pid}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const NS = "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'";

  it("loads a <node> file as libvirt's custom test driver does", async () => {
    writeFileSync(
      join(dir, 'd.xml'),
      "<domain type='test'><name>d</name><uuid>11111111-2222-3333-4444-555555555555</uuid><memory>1024</memory><os><type>hvm</type></os></domain>",
    );
    writeFileSync(
      join(dir, 'node.xml'),
      `<node>
        ${domainXML('a', "<memtune><hard_limit unit='M'>512</hard_limit></memtune>")}
        <domain type='test' ${NS}><name>b</name><memory>1024</memory><os><type>hvm</type></os><test:runstate>5</test:runstate></domain>
        <domain type='test' ${NS}><name>c</name><memory>1024</memory><os><type>hvm</type></os><test:transient/></domain>
        <domain file='d.xml'/>
      </node>`,
    );
    const { conn } = await c.open(`test://${join(dir, 'node.xml')}`);
    const all = await conn.listAllDomains();
    const rows = await Promise.all(all.map(async (d) => [d.name, d.id, (await d.getState()).state, await d.isPersistent()]));
    expect(rows).toEqual([
      ['a', 1, DomainState.RUNNING, true],
      ['b', -1, DomainState.SHUTOFF, true],
      ['c', 2, DomainState.RUNNING, false],
      ['d', 3, DomainState.RUNNING, true],
    ]);
    const a = await conn.lookupDomainByName('a');
    expect((await a.getMemoryParameters())[0]!.value).toBe(524288n);
    expect(await (await conn.lookupDomainByName('b')).getXMLDesc()).not.toContain('runstate');
  });

  it('also accepts a single <domain> file (virtune extension)', async () => {
    writeFileSync(join(dir, 'single.xml'), domainXML('solo'));
    const { conn } = await c.open(`test://${join(dir, 'single.xml')}`);
    expect((await conn.listAllDomains()).map((d) => [d.name, d.id])).toEqual([['solo', 1]]);
  });

  it("reports unreadable and foreign files with libvirt's errors", async () => {
    const missing = await rejection(c.open(`test://${join(dir, 'none.xml')}`));
    expect([missing.code, missing.domain, missing.message]).toEqual([
      ErrorCode.XML_ERROR,
      ErrorDomain.TEST,
      `XML error: failed to parse xml document '${join(dir, 'none.xml')}'`,
    ]);
    writeFileSync(join(dir, 'foo.xml'), '<foo/>');
    const foreign = await rejection(c.open(`test://${join(dir, 'foo.xml')}`));
    expect([foreign.code, foreign.domain, foreign.message]).toEqual([
      ErrorCode.XML_ERROR,
      ErrorDomain.XML,
      "XML error: expecting root element of 'node', not 'foo'",
    ]);
    expect((await rejection(c.open('test:///'))).message).toBe('invalid argument: testOpen: supply a path or use test:///default');
  });

  it('shutdown stops a running domain with reason shutdown, and refuses one that is not running', async () => {
    const { conn, events } = await c.open();
    const t = await conn.lookupDomainByName('test');
    await t.shutdown();
    expect(await t.getState()).toEqual({ state: DomainState.SHUTOFF, reason: DomainShutoffReason.SHUTDOWN });
    expect(events.at(-1)).toMatchObject({ kind: 'lifecycle', event: DomainEventType.STOPPED, detail: DomainEventStoppedDetail.SHUTDOWN });
    // libvirt's test driver: `internal error: domain 'test' not running`, from the test driver (VIR_FROM_TEST).
    const err = await rejection(t.shutdown());
    expect([err.code, err.domain, err.message]).toEqual([ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "internal error: domain 'test' not running"]);
  });
});
