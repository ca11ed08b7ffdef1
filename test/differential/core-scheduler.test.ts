// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
import { describe, expect, it } from 'vitest';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, TYPED_PARAM_STRING_OKAY } from '../../src/flags.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { runOnLibvirt, runOnVirtune, type Step } from '../helpers/libvirt-oracle.js';
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
    const theirs = runOnLibvirt(CASES);
    const ours = await runOnVirtune(CASES);
    for (let i = 0; i < CASES.length; i++) expect({ case: CASES[i], outcome: ours[i] }).toEqual({ case: CASES[i], outcome: theirs[i] });
    // Successes and several different refusals must occur, or the comparison proves little.
    const outcomes = new Set(theirs.flat().map((o) => ('error' in o ? o.error.message : 'ok')));
    expect(outcomes.size).toBeGreaterThanOrEqual(6);
  });
});
