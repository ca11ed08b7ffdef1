import { describe, expect, it } from 'vitest';
import { Domain, openConnection, registerDriver } from '../src/index.js';
import { parseURI } from '../src/connection/uri.js';
import type { HypervisorDriver } from '../src/driver.js';
import { ENTRY_POINTS, PUBLIC_ALIASES, TUNABLE_ENTRY_FAMILIES, entriesOf, publicName, type DriverEntry, type PublicAlias } from '../src/entry-points.js';
import { ErrorCode, ErrorDomain, VirError } from '../src/errors.js';
import { openUnsupportedDriver, withoutTuning } from '../src/drivers/unsupported/unsupported-driver.js';
import { rejection } from './helpers/vir-error.js';

const ENTRIES = Object.keys(ENTRY_POINTS) as DriverEntry[];
const REF = { name: 'd', uuid: '11111111-2222-3333-4444-555555555555', id: 1 };

/** Calls `entry` of `conn` with dummy arguments: what each entry is called with does not matter before the driver. */
function callEntry(conn: Awaited<ReturnType<typeof openConnection>>, entry: DriverEntry): Promise<unknown> {
  return (conn.call as (e: DriverEntry, ...a: unknown[]) => Promise<unknown>)(entry, REF, 0, 0);
}

describe('the table of entry points', () => {
  registerDriver(['empty-driver'], { schemes: ['empty-driver'], open: async (): Promise<HypervisorDriver> => ({ type: 'EMPTY' }) });

  it('gives every entry a public name and a family', () => {
    for (const e of ENTRIES) {
      expect(ENTRY_POINTS[e].publicName).toMatch(/^vir(tune)?[A-Z]\w+$/);
      expect(entriesOf(ENTRY_POINTS[e].family)).toContain(e);
    }
    expect(entriesOf('memory')).toEqual([
      'domainSetMemoryFlags',
      'domainSetMemoryParameters',
      'domainGetMemoryParameters',
      'domainGetMemoryParameterCount',
      'domainReclaimMemory',
    ]);
  });

  it.each(ENTRIES.filter((e) => e !== 'close'))('a driver without %s answers NO_SUPPORT naming its public function', async (entry) => {
    const conn = await openConnection('empty-driver:///');
    const e = await rejection(callEntry(conn, entry));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.NO_SUPPORT,
      ErrorDomain.DOMAIN,
      `this function is not supported by the connection driver: ${publicName(entry)}`,
    ]);
    await conn.close();
  });

  it.each(ENTRIES.filter((e) => e !== 'close'))('a read-only connection refuses %s only when it changes something', async (entry) => {
    const conn = await openConnection('empty-driver:///', { readOnly: true });
    const e = await rejection(callEntry(conn, entry));
    if (ENTRY_POINTS[entry].mutating) {
      expect([e.code, e.message]).toEqual([ErrorCode.OPERATION_DENIED, `operation forbidden: read only access prevents ${publicName(entry)}`]);
    } else {
      expect(e.code).toBe(ErrorCode.NO_SUPPORT);
    }
    await conn.close();
  });

  it('the stub answers NO_SUPPORT for exactly the entries of the families it is denied', async () => {
    const answered = new Set<string>();
    const full = Object.fromEntries(
      ENTRIES.map((e) => [e, async () => void answered.add(e)]),
    ) as unknown as HypervisorDriver;
    const stub = withoutTuning({ ...full, type: 'X' }, ['memory'], 'no reason');
    const refused: string[] = [];
    for (const e of ENTRIES) {
      try {
        await (stub[e] as (...a: unknown[]) => Promise<unknown>)(REF, 0, 0);
      } catch (err) {
        expect(err).toBeInstanceOf(VirError);
        expect((err as VirError).message).toBe(`this function is not supported by the connection driver: ${publicName(e)}: no reason`);
        refused.push(e);
      }
    }
    expect(refused).toEqual(entriesOf('memory'));
    expect([...answered]).toEqual(ENTRIES.filter((e) => ENTRY_POINTS[e].family !== 'memory'));
  });

  it('marks memory, scheduler and blkio tunable, and the stub refuses exactly their entries', async () => {
    expect(TUNABLE_ENTRY_FAMILIES).toEqual(['memory', 'scheduler', 'blkio']);
    const stub = await openUnsupportedDriver(parseURI('unsupported:///'), 'no reason');
    const refused: DriverEntry[] = [];
    for (const e of ENTRIES.filter((x) => x !== 'close')) {
      const fn = stub[e] as ((...a: unknown[]) => Promise<unknown>) | undefined;
      const err = await fn?.call(stub, REF, 0, 0).then(() => undefined, (x: unknown) => x);
      if (err instanceof VirError && err.code === ErrorCode.NO_SUPPORT && err.message.endsWith(': no reason')) refused.push(e);
    }
    expect(refused).toEqual(ENTRIES.filter((e) => TUNABLE_ENTRY_FAMILIES.includes(ENTRY_POINTS[e].family)));
  });

  /** A call of each public function that shares an entry; the type asks for one per alias of the table. */
  const ALIAS_CALLS: Record<PublicAlias, (d: Domain) => Promise<unknown>> = {
    virDomainSetMaxMemory: (d) => d.setMaxMemory(1024),
    virDomainGetSchedulerParameters: (d) => d.getSchedulerParameters(),
    virDomainSetSchedulerParameters: (d) => d.setSchedulerParameters([]),
  };

  it.each(Object.keys(PUBLIC_ALIASES) as PublicAlias[])('%s is named in errors and read-only as its entry is', async (alias) => {
    for (const readOnly of [false, true]) {
      const conn = await openConnection('empty-driver:///', { readOnly });
      const e = await rejection(ALIAS_CALLS[alias](Domain.fromRef(conn, REF)));
      expect(e.message).toBe(
        readOnly && ENTRY_POINTS[PUBLIC_ALIASES[alias]].mutating
          ? `operation forbidden: read only access prevents ${alias}`
          : `this function is not supported by the connection driver: ${alias}`,
      );
      await conn.close();
    }
  });
});
