// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openConnection } from '../../src/index.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../src/flags.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { ullong } from '../../src/typed-params/helpers.js';
import { errorOutcome, expectSameAsBinding } from '../helpers/libvirt-oracle.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * virtune's test driver against libvirt's through python3-libvirt, the binding Python applications use (the
 * broader differential test, core-memory.test.ts, calls libvirt through ctypes to reach what the binding cannot
 * express). Same starting state, same call: the same error (code, domain, level, message) or none, and the same
 * parameters afterwards in every definition.
 */

interface Case {
  setup: 'running' | 'inactive';
  params: Record<string, string>;
  flags: number;
}
type Outcome = { ok: null | [string, string][] } | { error: { code: number; domain: number; level: number; message: string } };

const NAMES = ['hard_limit', 'soft_limit', 'swap_hard_limit'] as const;
const VALUES = ['0', '1', '1024', '4096', '1048576', '8388608', String(UNLIMITED - 1n), String(UNLIMITED)];

/** Non-empty subsets of libvirt's three names, each with a value: the shape the binding's dict can carry. */
const paramSets = fc.sample(
  fc.record(
    { hard_limit: fc.constantFrom(...VALUES), soft_limit: fc.constantFrom(...VALUES), swap_hard_limit: fc.constantFrom(...VALUES) },
    { requiredKeys: [] },
  ).filter((r) => Object.keys(r).length > 0),
  { seed: 3, numRuns: 36 },
) as Record<string, string>[];

/**
 * Flags where libvirt's behaviour is the one virtune copies: CONFIG on a running domain is left out, since libvirt
 * checks it against the live values (a deliberate difference, tested in core-memory.test.ts).
 */
const CASES: Case[] = paramSets.flatMap((params) => [
  { setup: 'running', params, flags: 0 },
  { setup: 'running', params, flags: DOMAIN_AFFECT_LIVE },
  { setup: 'inactive', params, flags: 0 },
  { setup: 'inactive', params, flags: DOMAIN_AFFECT_CONFIG },
  { setup: 'inactive', params, flags: DOMAIN_AFFECT_LIVE },
]);

async function runOnVirtune(c: Case): Promise<Outcome[]> {
  const conn = await openConnection('test:///default');
  try {
    const dom = await conn.lookupDomainByName('test');
    if (c.setup === 'inactive') await dom.destroy();
    const read = async (flags: number): Promise<Outcome> => ({
      ok: (await dom.getMemoryParameters(flags)).map((p): [string, string] => [p.field, String(p.value)]).sort(),
    });
    const out: Outcome[] = [];
    try {
      await dom.setMemoryParameters(Object.entries(c.params).map(([k, v]) => ullong(k, BigInt(v))), c.flags);
      out.push({ ok: null });
    } catch (e) {
      out.push(errorOutcome(e));
    }
    out.push(await read(DOMAIN_AFFECT_CONFIG));
    if (await dom.isActive()) out.push(await read(DOMAIN_AFFECT_LIVE));
    return out;
  } finally {
    await conn.close();
  }
}

describe.skipIf(skipUnless('python-libvirt'))('differential: memory tuning through python3-libvirt', () => {
  it(`${paramSets.length} parameter sets x 5 flag/state combinations give the same outcomes`, async () => {
    expect(paramSets.length).toBeGreaterThanOrEqual(30);
    const theirs = await expectSameAsBinding(CASES, runOnVirtune);
    // Both successes and refusals must occur, or the comparison proves little.
    const firsts = theirs.map((o) => ('error' in o[0]! ? o[0].error.message : 'ok'));
    expect(new Set(firsts).size).toBeGreaterThanOrEqual(3);
  });
});
