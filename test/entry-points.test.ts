import { describe, expect, it } from 'vitest';
import { openConnection, registerDriver } from '../src/index.js';
import type { HypervisorDriver } from '../src/driver.js';
import { ENTRY_POINTS, entriesOf, publicName, type DriverEntry } from '../src/entry-points.js';
import { ErrorCode, ErrorDomain, VirError } from '../src/errors.js';
import { withoutTuning } from '../src/drivers/unsupported/unsupported-driver.js';
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
});
