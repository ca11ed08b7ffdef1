// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
import { describe, expect, it } from 'vitest';
import { openConnection, type Domain } from '../../src/index.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, TYPED_PARAM_STRING_OKAY } from '../../src/flags.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { expectSameAsBinding, expectSameOutcomes, outcomesOf, type CallOutcome, type Step } from '../helpers/libvirt-oracle.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * The scheduler entry points of virtune's test driver against libvirt's, through the C API (ctypes): the flagless
 * and the Flags getters and setters, every flag, every parameter type, on a running, an inactive and a vanished
 * domain. Same results, or the same error (code, domain, level, message).
 */

const W = (value: string, type: number = T.UINT): [string, number, string] => ['weight', type, value];
const FLAGS = [undefined, 0, DOMAIN_AFFECT_LIVE, DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, TYPED_PARAM_STRING_OKAY, 8];
const SETS: [string, number, string][][] = [
  [W('100')],
  [W('0')],
  [W('4294967295')],
  [],
  [W('1'), W('2')],
  [W('1', T.ULLONG)],
  [W('1', T.INT)],
  [['cpu_shares', T.ULLONG, '512']],
  [['vcpu_quota', T.LLONG, '-1'], W('5')],
  [['zzz', T.UINT, '1']],
];

/** Each state a domain can be in when the call comes: running, shut off, gone (undefined and destroyed). */
const SETUPS: Step[][] = [[], [{ op: 'destroy' }], [{ op: 'undefine' }, { op: 'destroy' }]];

const CASES: Step[][] = SETUPS.flatMap((setup) => [
  [...setup, { op: 'stype' }, ...FLAGS.map((flags): Step => ({ op: 'sget', flags }))],
  ...FLAGS.flatMap((flags) => SETS.map((params): Step[] => [...setup, { op: 'sset', params, flags }, { op: 'sget' }])),
]);

describe.skipIf(skipUnless('python-libvirt'))('differential: the scheduler of libvirt\'s test driver', () => {
  it(`${CASES.length} cases of type, get and set give the same outcomes`, async () => {
    const theirs = await expectSameOutcomes(CASES);
    // Successes and several different refusals must occur, or the comparison proves little.
    const outcomes = new Set(theirs.flat().map((o) => ('error' in o ? o.error.message : 'ok')));
    expect(outcomes.size).toBeGreaterThanOrEqual(6);
  });
});

/**
 * The same calls as a Python application makes them through python3-libvirt: the binding learns the types from
 * virDomainGetSchedulerType and the getter before it sets, so its Flags setter fails wherever the Flags getter does.
 */
interface BindingCase {
  family: 'scheduler';
  setup: 'running' | 'inactive';
  params: Record<string, string>;
  flags: number | null;
}
type BindingOutcome = CallOutcome;

const BINDING_CASES: BindingCase[] = (['running', 'inactive'] as const).flatMap((setup) =>
  [null, 0, DOMAIN_AFFECT_LIVE, DOMAIN_AFFECT_CONFIG].flatMap((flags) =>
    ['0', '100', '4294967295'].map((w): BindingCase => ({ family: 'scheduler', setup, params: { weight: w }, flags })),
  ),
);

async function bindingOnVirtune(c: BindingCase): Promise<BindingOutcome[]> {
  const conn = await openConnection('test:///default');
  try {
    const dom: Domain = await conn.lookupDomainByName('test');
    if (c.setup === 'inactive') await dom.destroy();
    const pairs = (ps: { field: string; value: unknown }[]) => ps.map((p) => [p.field, String(p.value)]).sort();
    const calls = [
      async () => Object.values(await dom.getSchedulerType()),
      async () => {
        const weight = { field: 'weight', type: T.UINT, value: Number(c.params.weight) } as const;
        // The binding returns libvirt's 0 on success.
        if (c.flags === null) return (await dom.setSchedulerParameters([weight]), 0);
        await dom.getSchedulerType();
        await dom.getSchedulerParameters(c.flags); // the binding's type lookup
        return (await dom.setSchedulerParameters([weight], c.flags), 0);
      },
      async () => pairs(await dom.getSchedulerParameters()),
      async () => pairs(await dom.getSchedulerParameters(c.flags ?? 0)),
    ];
    return await outcomesOf(calls);
  } finally {
    await conn.close();
  }
}

describe.skipIf(skipUnless('python-libvirt'))('differential: the scheduler through python3-libvirt', () => {
  it(`${BINDING_CASES.length} cases give the same outcomes`, async () => {
    await expectSameAsBinding(BINDING_CASES, bindingOnVirtune);
  });
});
