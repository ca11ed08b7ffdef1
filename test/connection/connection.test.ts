import { afterEach, describe, expect, it } from 'vitest';
import { Domain, openConnection, registerDriver, registeredSchemes } from '../../src/index.js';
import type { DomainRef, DriverFactory, HypervisorDriver } from '../../src/driver.js';
import { ENTRY_POINTS, PUBLIC_ALIASES } from '../../src/entry-points.js';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { parseURI } from '../../src/connection/uri.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_MEM_MAXIMUM } from '../../src/flags.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { rejection, virErrorOf } from '../helpers/vir-error.js';

/** Registrations a test made, undone after it: drivers registered by one test never leak into the next. */
const undo: (() => void)[] = [];
afterEach(() => {
  for (const u of undo.splice(0)) u();
});

const REF: DomainRef = { name: 'd', uuid: '11111111-2222-3333-4444-555555555555', id: 1 };

/** A third-party driver with only lookups and setMemoryFlags: records what it is asked. */
function recordingFactory(calls: string[]): DriverFactory {
  return {
    schemes: ['rec'],
    async open(_uri, options): Promise<HypervisorDriver> {
      return {
        type: 'REC',
        async lookupDomainByName(name) {
          if (name !== 'd') throw new VirError(ErrorCode.NO_DOMAIN, ErrorDomain.NONE);
          return REF;
        },
        async domainSetMemoryFlags(_dom, kib, flags) {
          calls.push(`setMemoryFlags ${kib} ${flags}`);
          options.emit({ kind: 'balloon-change', domain: REF, actualKiB: kib });
        },
      };
    },
  };
}

describe('connections', () => {
  it('parses libvirt URIs', () => {
    const u = parseURI('qemu+ssh://host/system?socket=/x%20y');
    expect([u.scheme, u.transport, u.host, u.path, u.params.get('socket')]).toEqual(['qemu', 'ssh', 'host', '/system', '/x y']);
    expect(parseURI('test:///tmp/a.xml').path).toBe('/tmp/a.xml');
    expect(() => parseURI('not a uri')).toThrow(VirError);
    // libvirt 9.0 (python3-libvirt): code 1, domain 45, `internal error: Unable to parse URI test:///a%zz.xml`.
    for (const bad of ['test:///a%zz.xml', 'not a uri', 'qemu:///system?root=%']) {
      const e = virErrorOf(() => parseURI(bad));
      expect([e.code, e.domain, e.message]).toEqual([ErrorCode.INTERNAL_ERROR, ErrorDomain.URI, `internal error: Unable to parse URI ${bad}`]);
    }
  });

  // Each checked against libvirt 9.0 (python3-libvirt, virConnectOpen and getURI).
  it('reads URIs as libxml2 does: no driver name, no host part, a fragment, the scheme case kept', async () => {
    for (const bad of ['default', '///']) {
      const e = virErrorOf(() => parseURI(bad));
      expect([e.code, e.domain, e.message]).toEqual([ErrorCode.NO_CONNECT, ErrorDomain.NONE, `no connection driver available for URI '${bad}' does not include a driver name`]);
    }
    expect((await openConnection('test:/default')).getURI()).toBe('test:///default');
    expect((await openConnection('test:///default#f')).getURI()).toBe('test:///default#f');
    const e = await rejection(openConnection('TEST:///default'));
    expect([e.code, e.message]).toEqual([ErrorCode.NO_CONNECT, 'no connection driver available for TEST:///default']);
    expect(parseURI('test:default').path).toBe('default');
  });

  it('never lets a registration silently replace a driver: override is explicit, and undone it restores the one before', async () => {
    const fake = { schemes: ['test'], open: async () => ({ type: 'FAKE' }) };
    const e = virErrorOf(() => registerDriver(['test'], fake));
    expect([e?.code, e?.message]).toEqual([
      ErrorCode.OPERATION_INVALID,
      "Requested operation is not valid: a driver is already registered for URI scheme 'test'; pass { override: true } to replace it",
    ]);
    expect((await openConnection('test:///default')).getType()).toBe('TEST');
    const restore = registerDriver(['test'], fake, { override: true });
    expect((await openConnection('test:///default')).getType()).toBe('FAKE');
    restore();
    restore();
    expect((await openConnection('test:///default')).getType()).toBe('TEST');
    const gone = registerDriver(['only-now'], fake);
    gone();
    expect((await rejection(openConnection('only-now:///'))).code).toBe(ErrorCode.NO_CONNECT);
  });

  it('finds third-party drivers by scheme and turns a missing entry into NO_SUPPORT', async () => {
    const calls: string[] = [];
    undo.push(registerDriver(['rec'], recordingFactory(calls)));
    expect(registeredSchemes()).toEqual(expect.arrayContaining(['lxc', 'qemu', 'rec', 'test', 'unsupported']));
    const conn = await openConnection('rec:///');
    expect(conn.getType()).toBe('REC');
    const events: unknown[] = [];
    conn.on('event', (e) => events.push(e));
    const dom = await conn.lookupDomainByName('d');
    await dom.setMemory(1024, DOMAIN_AFFECT_CONFIG);
    await dom.setMaxMemory(2048);
    expect(calls).toEqual([`setMemoryFlags 1024 ${DOMAIN_AFFECT_CONFIG}`, `setMemoryFlags 2048 ${DOMAIN_MEM_MAXIMUM}`]);
    expect(events).toHaveLength(2);
    const e = await rejection(dom.getMemoryParameters());
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.NO_SUPPORT,
      ErrorDomain.DOMAIN,
      'this function is not supported by the connection driver: virDomainGetMemoryParameters',
    ]);
    expect(conn.supports('domainSetMemoryFlags')).toBe(true);
    expect(conn.supports('domainSetMemoryParameters')).toBe(false);
    await conn.close();
    expect((await rejection(conn.lookupDomainByName('d'))).code).toBe(ErrorCode.INVALID_CONN);
  });

  it('checks public arguments before the driver sees them', async () => {
    const calls: string[] = [];
    undo.push(registerDriver(['rec'], recordingFactory(calls)));
    const conn = await openConnection('rec:///');
    const dom = await conn.lookupDomainByName('d');
    const zero = await rejection(dom.setMemory(0));
    expect([zero.code, zero.domain, zero.message]).toEqual([
      ErrorCode.INVALID_ARG,
      ErrorDomain.DOMAIN,
      'memory in virDomainSetMemoryFlags must not be zero',
    ]);
    const big = await rejection(dom.setMaxMemory(Number.MAX_SAFE_INTEGER));
    expect([big.code, big.message]).toEqual([ErrorCode.OVERFLOW, 'numerical overflow: input too large: 9007199254740991']);
    // libvirt's argument is an unsigned long: integers past 2^53 are an overflow too, printed exactly.
    const huge = await rejection(dom.setMemory(15n * 2n ** 50n));
    expect([huge.code, huge.message]).toEqual([ErrorCode.OVERFLOW, 'numerical overflow: input too large: 16888498602639360']);
    const odd = await rejection(dom.setMemory(2n ** 53n + 1n));
    expect(odd.message).toBe('numerical overflow: input too large: 9007199254740993');
    expect((await rejection(dom.setMemory(2 ** 70))).message).toBe('numerical overflow: input too large: 1180591620717411303424');
    for (const bad of [1.5, -1, -1n, Number.NaN, Infinity]) {
      expect((await rejection(dom.setMemory(bad))).message).toBe('memory in virDomainSetMemoryFlags must be a non-negative integer');
    }
    const empty = await rejection(dom.setMemoryParameters([]));
    expect(empty.message).toBe('nparams in virDomainSetMemoryParameters must be greater than zero');
    expect(calls).toEqual([]);
    await conn.close();
  });

  it("checks lookup arguments as libvirt's public functions do", async () => {
    const conn = await openConnection('test:///default');
    const bad = await rejection(conn.lookupDomainByUUID('zzz'));
    expect([bad.code, bad.domain, bad.message]).toEqual([ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, 'Invalid UUID']);
    // libvirt parses UUIDs with or without dashes, in either case.
    expect((await conn.lookupDomainByUUID('6695EB01F6A4830479AA97F2502E193F')).name).toBe('test');
    const neg = await rejection(conn.lookupDomainByID(-1));
    expect([neg.code, neg.domain, neg.message]).toEqual([
      ErrorCode.INVALID_ARG,
      ErrorDomain.DOMAIN,
      'id in virDomainLookupByID must be zero or greater',
    ]);
    expect((await rejection(conn.lookupDomainByID(7))).message).toBe('Domain not found');
    const dom = await conn.lookupDomainByName('test');
    await conn.close();
    // A closed connection is reported before any argument, as libvirt checks the connection first.
    expect((await rejection(conn.lookupDomainByUUID('zzz'))).code).toBe(ErrorCode.INVALID_CONN);
    expect((await rejection(conn.lookupDomainByID(-1))).code).toBe(ErrorCode.INVALID_CONN);
    expect((await rejection(dom.setMemory(0))).code).toBe(ErrorCode.INVALID_CONN);
    expect((await rejection(dom.setMemoryParameters([]))).code).toBe(ErrorCode.INVALID_CONN);
    expect((await rejection(dom.getMemoryParameters(3))).code).toBe(ErrorCode.INVALID_CONN);
  });

  it('read-only connections refuse changes with libvirt words', async () => {
    const calls: string[] = [];
    undo.push(registerDriver(['rec'], recordingFactory(calls)));
    const conn = await openConnection('rec:///', { readOnly: true });
    const dom = await conn.lookupDomainByName('d');
    const e = await rejection(dom.setMemory(5));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.OPERATION_DENIED,
      ErrorDomain.DOMAIN,
      'operation forbidden: read only access prevents virDomainSetMemoryFlags',
    ]);
    expect((await rejection(dom.setMemoryParameters([{ field: 'hard_limit', type: T.ULLONG, value: 1n }]))).message).toBe(
      'operation forbidden: read only access prevents virDomainSetMemoryParameters',
    );
    expect(calls).toEqual([]);
    await conn.close();
  });

  it('every surface method of a driver without entries is NO_SUPPORT naming libvirt\'s function', async () => {
    undo.push(registerDriver(['bare'], { schemes: ['bare'], open: async () => ({ type: 'BARE' }) }));
    const conn = await openConnection('bare:///');
    // The driver cannot look a domain up: a handle made the way the connection makes its own.
    const bare = Domain.fromRef(conn, REF);
    const cases: [string, () => Promise<unknown>][] = [
      ['virConnectGetVersion', () => conn.getVersion()],
      ['virConnectGetHostname', () => conn.getHostname()],
      ['virDomainLookupByName', () => conn.lookupDomainByName('d')],
      ['virDomainLookupByUUIDString', () => conn.lookupDomainByUUID(REF.uuid)],
      ['virDomainLookupByID', () => conn.lookupDomainByID(1)],
      ['virConnectListAllDomains', () => conn.listAllDomains()],
      ['virDomainDefineXML', () => conn.defineDomainXML('<domain/>')],
      ['virDomainCreateXML', () => conn.createDomainXML('<domain/>')],
      ['virDomainCreate', () => bare.create()],
      ['virDomainDestroy', () => bare.destroy()],
      ['virDomainShutdown', () => bare.shutdown()],
      ['virDomainUndefine', () => bare.undefine()],
      ['virDomainGetXMLDesc', () => bare.getXMLDesc()],
      ['virDomainGetInfo', () => bare.getInfo()],
      ['virDomainGetState', () => bare.getState()],
      ['virDomainIsActive', () => bare.isActive()],
      ['virDomainIsPersistent', () => bare.isPersistent()],
      ['virDomainSetMemoryFlags', () => bare.setMemory(1024)],
      ['virDomainSetMaxMemory', () => bare.setMaxMemory(1024)],
      ['virDomainSetMemoryParameters', () => bare.setMemoryParameters([{ field: 'hard_limit', type: T.ULLONG, value: 1n }])],
      ['virDomainGetMemoryParameters', () => bare.getMemoryParameters()],
      ['virDomainGetMemoryParameters', () => bare.getMemoryParameterCount()],
      ['virtuneDomainReclaimMemory', () => bare.reclaimMemory(1024)],
      ['virDomainMemoryStats', () => bare.memoryStats()],
      ['virDomainSetMemoryStatsPeriod', () => bare.setMemoryStatsPeriod(1)],
      ['virtuneDomainGetCooperation', () => bare.cooperation()],
      ['virDomainGetSchedulerType', () => bare.getSchedulerType()],
      ['virDomainGetSchedulerParameters', () => bare.getSchedulerParameters()],
      ['virDomainGetSchedulerParametersFlags', () => bare.getSchedulerParameters(DOMAIN_AFFECT_CONFIG)],
      ['virDomainSetSchedulerParameters', () => bare.setSchedulerParameters([])],
      ['virDomainSetSchedulerParametersFlags', () => bare.setSchedulerParameters([], DOMAIN_AFFECT_CONFIG)],
      ['virDomainSetBlkioParameters', () => bare.setBlkioParameters([])],
      ['virDomainGetBlkioParameters', () => bare.getBlkioParameters()],
    ];
    // Every public function of the table of entry points (and each that shares an entry) is here: close and the
    // event subscription answer without a driver entry.
    const tableNames = [
      ...Object.values(ENTRY_POINTS).map((e) => e.publicName).filter((n) => n !== 'virConnectClose' && n !== 'virConnectDomainEventRegisterAny'),
      ...Object.keys(PUBLIC_ALIASES),
    ];
    expect(new Set(cases.map(([fn]) => fn))).toEqual(new Set(tableNames));
    for (const [fn, call] of cases) {
      const e = await rejection(call());
      expect([fn, e.code, e.domain, e.message]).toEqual([
        fn,
        ErrorCode.NO_SUPPORT,
        ErrorDomain.DOMAIN,
        `this function is not supported by the connection driver: ${fn}`,
      ]);
    }
    await conn.close();
  });

  it('an unknown scheme has no driver', async () => {
    const e = await rejection(openConnection('nosuch:///'));
    expect([e.code, e.message]).toEqual([ErrorCode.NO_CONNECT, 'no connection driver available for nosuch:///']);
  });
});
