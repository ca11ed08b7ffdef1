import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import {
  DOMAIN_AFFECT_CONFIG,
  DOMAIN_AFFECT_LIVE,
  DOMAIN_MEM_CONFIG,
  DOMAIN_MEM_LIVE,
  DOMAIN_XML_INACTIVE,
} from '../../../src/flags.js';
import { UNLIMITED } from '../../../src/memory/params.js';
import { TypedParameterType as T, type TypedParameter } from '../../../src/typed-params/types.js';
import { ull } from '../../helpers/typed-param.js';
import { connections } from '../../helpers/connections.js';
import { domainXML } from '../../helpers/domain-xml.js';
import { rejection } from '../../helpers/vir-error.js';

const c = connections();
const U = BigInt(UNLIMITED);
const values = (ps: TypedParameter[]) => Object.fromEntries(ps.map((p) => [p.field, p.value]));

describe('test driver memory parameters', () => {
  it('sets and reads the live definition of a running domain, leaving the config alone', async () => {
    const { conn, events } = await c.open();
    const d = await conn.lookupDomainByName('test');
    await d.setMemoryParameters([ull('hard_limit', 1048576), ull('soft_limit', 524288)]);
    expect(values(await d.getMemoryParameters())).toEqual({ hard_limit: 1048576n, soft_limit: 524288n, swap_hard_limit: U });
    expect(values(await d.getMemoryParameters(DOMAIN_AFFECT_CONFIG))).toEqual({ hard_limit: U, soft_limit: U, swap_hard_limit: U });
    expect(await d.getXMLDesc()).toContain("<memtune>\n    <hard_limit unit='KiB'>1048576</hard_limit>\n    <soft_limit unit='KiB'>524288</soft_limit>\n  </memtune>");
    expect(await d.getXMLDesc(DOMAIN_XML_INACTIVE)).not.toContain('memtune');
    expect(events).toEqual([
      { kind: 'tunable', domain: { name: 'test', uuid: d.uuid, id: 1 }, params: [ull('hard_limit', 1048576n), ull('soft_limit', 524288n)] },
    ]);
  });

  it('CONFIG changes the persistent definition only', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    // An unset hard_limit is UNLIMITED, above any swap_hard_limit: libvirt refuses swap alone too.
    expect((await rejection(d.setMemoryParameters([ull('swap_hard_limit', 4096)], DOMAIN_AFFECT_CONFIG))).code).toBe(
      ErrorCode.INVALID_ARG,
    );
    await d.setMemoryParameters([ull('swap_hard_limit', 4096), ull('hard_limit', 4096)], DOMAIN_AFFECT_CONFIG);
    expect(values(await d.getMemoryParameters(DOMAIN_AFFECT_CONFIG)).swap_hard_limit).toBe(4096n);
    expect(values(await d.getMemoryParameters(DOMAIN_AFFECT_LIVE)).swap_hard_limit).toBe(U);
  });

  it('checks hard <= swap on the definition being changed, not the live one (unlike libvirt)', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    await d.setMemoryParameters([ull('hard_limit', 0), ull('swap_hard_limit', 0)]);
    // libvirt would compare 100 with the live swap_hard_limit (0) and refuse.
    await d.setMemoryParameters([ull('hard_limit', 100)], DOMAIN_AFFECT_CONFIG);
    expect(values(await d.getMemoryParameters(DOMAIN_AFFECT_CONFIG)).hard_limit).toBe(100n);
    const e = await rejection(d.setMemoryParameters([ull('swap_hard_limit', 50)], DOMAIN_AFFECT_CONFIG));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.INVALID_ARG,
      ErrorDomain.TEST,
      'invalid argument: memory hard_limit tunable value must be lower than or equal to swap_hard_limit',
    ]);
  });

  it('a rejected call changes nothing and emits nothing', async () => {
    const { conn, events } = await c.open();
    const d = await conn.lookupDomainByName('test');
    await d.setMemoryParameters([ull('swap_hard_limit', 1000), ull('hard_limit', 500)]);
    const before = [await d.getXMLDesc(), await d.getXMLDesc(DOMAIN_XML_INACTIVE)];
    events.length = 0;
    for (const [params, flags] of [
      [[ull('hard_limit', 2000)], 0],
      [[ull('hard_limit', 1), ull('bogus', 1)], 0],
      [[ull('soft_limit', 1), ull('soft_limit', 2)], 0],
      [[{ field: 'soft_limit', type: T.INT, value: 1 }], 0],
      [[ull('soft_limit', U + 1n)], 0],
      [[ull('soft_limit', 1)], DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG],
      [[ull('soft_limit', 1)], 8],
    ] as const) {
      await expect(d.setMemoryParameters(params as never, flags)).rejects.toThrow();
    }
    expect([await d.getXMLDesc(), await d.getXMLDesc(DOMAIN_XML_INACTIVE)]).toEqual(before);
    expect(events).toEqual([]);
  });

  it('also stores min_guarantee and swap_soft_limit, reported only when set', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    expect(await d.getMemoryParameterCount()).toBe(3);
    await d.setMemoryParameters([ull('min_guarantee', 1024), ull('swap_soft_limit', 2048)]);
    expect((await d.getMemoryParameters()).map((p) => p.field)).toEqual([
      'hard_limit',
      'soft_limit',
      'swap_hard_limit',
      'min_guarantee',
      'swap_soft_limit',
    ]);
    expect(await d.getMemoryParameterCount()).toBe(5);
    expect(await d.getXMLDesc()).toContain("<min_guarantee unit='KiB'>1024</min_guarantee>");
  });

  it('follows libvirt for inactive and transient domains', async () => {
    const { conn } = await c.open();
    const inactive = await conn.defineDomainXML(domainXML('in'));
    const live = await rejection(inactive.setMemoryParameters([ull('hard_limit', 5)], DOMAIN_AFFECT_LIVE));
    expect([live.code, live.domain, live.message]).toEqual([
      ErrorCode.OPERATION_INVALID,
      ErrorDomain.DOMAIN,
      'Requested operation is not valid: domain is not running',
    ]);
    await inactive.setMemoryParameters([ull('hard_limit', 5)]);
    expect(values(await inactive.getMemoryParameters()).hard_limit).toBe(5n);
    await inactive.create();
    expect(values(await inactive.getMemoryParameters()).hard_limit).toBe(5n); // the live copy starts from config

    const tr = await conn.createDomainXML(domainXML('tr'));
    const cfg = await rejection(tr.setMemoryParameters([ull('hard_limit', 5)], DOMAIN_AFFECT_CONFIG));
    expect(cfg.message).toBe('Requested operation is not valid: transient domains do not have any persistent config');
    await tr.setMemoryParameters([ull('hard_limit', 5)]);
    expect(values(await tr.getMemoryParameters()).hard_limit).toBe(5n);
  });

  it('names its own functions in flag errors', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    expect((await rejection(d.setMemoryParameters([ull('hard_limit', 1)], 4))).message).toBe(
      'unsupported flags (0x4) in function testDomainSetMemoryParameters',
    );
    expect((await rejection(d.getMemoryParameters(8))).message).toBe(
      'unsupported flags (0x8) in function testDomainGetMemoryParameters',
    );
    expect((await rejection(d.getMemoryParameters(3))).message).toBe(
      "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive",
    );
  });
});

describe('test driver setMemory / setMaxMemory', () => {
  it('sets currentMemory up to memory', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    await d.setMemory(1000);
    expect((await d.getInfo()).memory).toBe(1000n);
    const e = await rejection(d.setMemory(8388609));
    expect([e.code, e.domain, e.message]).toEqual([ErrorCode.INVALID_ARG, ErrorDomain.TEST, 'invalid argument: cannot set memory higher than max memory']);
  });

  it('refuses to resize the maximum of a running domain, and lowers currentMemory with it in config', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    const e = await rejection(d.setMaxMemory(4096));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.OPERATION_INVALID,
      ErrorDomain.TEST,
      'Requested operation is not valid: cannot resize the maximum memory on an active domain',
    ]);
    await d.setMaxMemory(1000, DOMAIN_MEM_CONFIG);
    const cfg = await d.getXMLDesc(DOMAIN_XML_INACTIVE);
    expect(cfg).toContain("<memory unit='KiB'>1000</memory>\n  <currentMemory unit='KiB'>1000</currentMemory>");
    expect((await d.getInfo()).maxMem).toBe(8388608n);
    await d.destroy();
    await d.setMaxMemory(5000);
    expect(await d.getInfo()).toMatchObject({ maxMem: 5000n, memory: 1000n });
    expect((await rejection(d.setMemory(100, DOMAIN_MEM_LIVE))).message).toBe('Requested operation is not valid: domain is not running');
  });
});
