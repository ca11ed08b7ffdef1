import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DOMAIN_AFFECT_LIVE,
  ErrorCode,
  ErrorDomain,
  TypedParameterType as T,
  UNLIMITED,
  VirError,
  openConnection,
  registeredSchemes,
} from '../../src/index.js';
import { createMockDriver, type MockDriver } from '../../src/testing/index.js';
import { domainDef } from '../helpers/domain-def.js';
import { rejection } from '../helpers/vir-error.js';

const xml = (name: string) => `<domain type='test'><name>${name}</name><memory unit='MiB'>512</memory><os><type>hvm</type></os></domain>`;
const hard = (kib: bigint) => [{ field: 'hard_limit', type: T.ULLONG as const, value: kib }];

let mock: MockDriver;
beforeEach(async () => {
  mock = await createMockDriver();
});
afterEach(() => mock.close());

describe('the mock driver', () => {
  it("is libvirt's test driver: test:///default's domain, stateful, one state for all of a mock's connections", async () => {
    const a = await mock.connect();
    const b = await openConnection(mock.uri);
    await (await a.lookupDomainByName('test')).setMemtune({ hardLimit: '1G' }, { live: true });
    expect((await (await b.lookupDomainByName('test')).getMemtune({ live: true })).hardLimit).toBe(1048576n);
    await b.close();
    expect(a.getType()).toBe('TEST');
  });

  it('takes its domains from objects or XML (a <domain> or a test-driver <node>), no files', async () => {
    const m = await createMockDriver({ domains: [domainDef('test', { name: 'obj' }), xml('from-xml')] });
    try {
      const conn = await m.connect();
      expect((await conn.listAllDomains()).map((d) => [d.name, d.id])).toEqual([['obj', 1], ['from-xml', 2]]);
      const node = await createMockDriver({
        domains: `<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>${xml('off').replace('</domain>', '<test:runstate>5</test:runstate></domain>')}</node>`,
      });
      expect(await (await (await node.connect()).lookupDomainByName('off')).isActive()).toBe(false);
      await node.close();
    } finally {
      await m.close();
    }
  });

  it('keeps mocks apart and leaves every other driver alone', async () => {
    const other = await createMockDriver();
    await (await (await other.connect()).lookupDomainByName('test')).setMemoryParameters(hard(4096n));
    expect((await (await (await mock.connect()).lookupDomainByName('test')).getMemtune()).hardLimit).toBe(UNLIMITED);
    await other.close();
    expect((await rejection(openConnection(other.uri))).code).toBe(ErrorCode.NO_CONNECT);
    const real = await openConnection('test:///default');
    expect(real.getType()).toBe('TEST');
    await real.close();
    expect(registeredSchemes()).toContain('mock');
  });

  it('records every call: entry, arguments, domain, flags, outcome, in order', async () => {
    const conn = await mock.connect();
    const dom = await conn.lookupDomainByName('test');
    await dom.setMemoryParameters(hard(2048n), DOMAIN_AFFECT_LIVE);
    await rejection(dom.setMemoryParameters(hard(UNLIMITED + 1n)));
    expect(mock.calls.map((c) => [c.seq, c.entry, c.nth, c.domain, c.flags, c.outcome])).toEqual([
      [1, 'lookupDomainByName', 1, undefined, undefined, 'returned'],
      [2, 'domainSetMemoryParameters', 1, 'test', DOMAIN_AFFECT_LIVE, 'returned'],
      [3, 'domainSetMemoryParameters', 2, 'test', 0, 'failed'],
    ]);
    expect(mock.calls[0]!.result).toMatchObject({ name: 'test', id: 1 });
    expect(mock.calls[1]!.args[1]).toEqual(hard(2048n));
    expect(mock.calls[1]!.publicName).toBe('virDomainSetMemoryParameters');
    expect((mock.calls[2]!.error as VirError).code).toBe(ErrorCode.INVALID_ARG);
  });

  it('fails the Nth call, the next K, or every call, with a code or a VirError, and the failed calls change nothing', async () => {
    const dom = await (await mock.connect()).lookupDomainByName('test');
    mock.fail('domainSetMemoryParameters', ErrorCode.OPERATION_FAILED, { call: 2 });
    await dom.setMemoryParameters(hard(1000n));
    const e = await rejection(dom.setMemoryParameters(hard(2000n)));
    expect([e.code, e.domain, e.message]).toEqual([ErrorCode.OPERATION_FAILED, ErrorDomain.TEST, 'operation failed: injected by the mock driver']);
    await dom.setMemoryParameters(hard(3000n));
    expect((await dom.getMemtune()).hardLimit).toBe(3000n);

    const mine = new VirError(ErrorCode.SYSTEM_ERROR, ErrorDomain.CGROUP, 'Unable to write: Device or resource busy', { errno: 'EBUSY' });
    mock.fail('domainGetInfo', mine, { times: 2 });
    expect(await rejection(dom.getInfo())).toBe(mine);
    expect(await rejection(dom.getInfo())).toBe(mine);
    expect((await dom.getInfo()).memory).toBe(2097152n);

    mock.fail('domainIsActive', ErrorCode.INTERNAL_ERROR);
    for (let i = 0; i < 3; i++) expect((await rejection(dom.isActive())).code).toBe(ErrorCode.INTERNAL_ERROR);
    mock.clearFaults('domainIsActive');
    expect(await dom.isActive()).toBe(true);
  });

  it('records and fails the scheduler entries like every other (derived from the table of entry points)', async () => {
    const dom = await (await mock.connect()).lookupDomainByName('test');
    mock.fail('domainSetSchedulerParameters', ErrorCode.OPERATION_FAILED, { call: 1 });
    const weight = [{ field: 'weight', type: T.UINT as const, value: 70 }];
    expect((await rejection(dom.setSchedulerParameters(weight))).code).toBe(ErrorCode.OPERATION_FAILED);
    await dom.setSchedulerParameters(weight, 0);
    expect(await dom.getSchedulerType()).toEqual({ type: 'fair', nparams: 1 });
    expect(await dom.getCpuTune()).toEqual({ weight: 50 });
    expect(mock.calls.slice(1).map((c) => [c.entry, c.publicName, c.domain, c.flags, c.outcome])).toEqual([
      ['domainSetSchedulerParameters', 'virDomainSetSchedulerParametersFlags', 'test', 0, 'failed'],
      ['domainSetSchedulerParameters', 'virDomainSetSchedulerParametersFlags', 'test', 0, 'returned'],
      ['domainGetSchedulerType', 'virDomainGetSchedulerType', 'test', undefined, 'returned'],
      ['domainGetSchedulerParameters', 'virDomainGetSchedulerParametersFlags', 'test', 0, 'returned'],
    ]);
  });

  it('delays a call: a later call overtakes it', async () => {
    const dom = await (await mock.connect()).lookupDomainByName('test');
    mock.delay('domainGetInfo', 50, { call: 1 });
    const order: string[] = [];
    const slow = dom.getInfo().then(() => order.push('delayed getInfo'));
    await dom.getState().then(() => order.push('getState'));
    await slow;
    expect(order).toEqual(['getState', 'delayed getInfo']);
  });

  it('holds a call until its signal fires, then fails it with OPERATION_ABORTED; closing fails held calls too', async () => {
    const dom = await (await mock.connect()).lookupDomainByName('test');
    const ac = new AbortController();
    mock.hang('domainSetMemoryParameters', ac.signal);
    const held = rejection(dom.setMemoryParameters(hard(1024n)));
    await dom.getState(); // the mock answers other calls meanwhile
    expect(mock.callsOf('domainSetMemoryParameters')[0]!.outcome).toBe('pending');
    ac.abort();
    expect((await held).code).toBe(ErrorCode.OPERATION_ABORTED);
    expect((await dom.getMemtune()).hardLimit).toBe(UNLIMITED);

    mock.hang('domainGetInfo', new AbortController().signal);
    const forgotten = rejection(dom.getInfo());
    await mock.close();
    expect((await forgotten).code).toBe(ErrorCode.OPERATION_ABORTED);
  });

  it('serves and records blkio tuning like every entry: flags logged, a failed call changes nothing', async () => {
    const dom = await (await mock.connect()).lookupDomainByName('test');
    mock.fail('domainSetBlkioParameters', ErrorCode.OPERATION_FAILED, { call: 2 });
    await dom.setBlkiotune({ weight: 400 }, { config: true });
    expect((await rejection(dom.setBlkiotune({ weight: 700 }, { config: true }))).code).toBe(ErrorCode.OPERATION_FAILED);
    expect((await dom.getBlkiotune({ config: true })).weight).toBe(400);
    expect(mock.calls.filter((c) => c.entry !== 'lookupDomainByName').map((c) => [c.entry, c.nth, c.flags, c.outcome])).toEqual([
      ['domainSetBlkioParameters', 1, 2, 'returned'],
      ['domainSetBlkioParameters', 2, 2, 'failed'],
      ['domainGetBlkioParameters', 1, 2, 'returned'],
    ]);
  });

  it('fails loudly what it cannot serve: entries the test driver lacks, and calls after close', async () => {
    const conn = await mock.connect();
    const dom = await conn.lookupDomainByName('test');
    expect((await rejection(dom.reclaimMemory(1024n))).code).toBe(ErrorCode.NO_SUPPORT);
    await mock.close();
    expect((await rejection(conn.lookupDomainByName('test'))).code).toBe(ErrorCode.INVALID_CONN);
    expect(() => mock.fail('domainGetInfo', 12345.5 as ErrorCode)).toThrow(/ErrorCode/);
    expect(() => mock.fail('domainGetInfo', ErrorCode.INTERNAL_ERROR, { call: 0 })).toThrow(/positive integer/);
  });
});
