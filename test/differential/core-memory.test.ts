// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNLIMITED } from '../../src/memory/params.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { expectSameOutcomes, runOnLibvirt, runOnVirtune, type Step } from '../helpers/libvirt-oracle.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * virtune's test driver against libvirt's own (test:///default through /usr/bin/python3 and ctypes): the same
 * calls must give the same values, error codes, error domains and messages. Known, deliberate differences are
 * listed in docs/parameters.md and tested at the end, one by one.
 */

const NAMES = ['hard_limit', 'soft_limit', 'swap_hard_limit'] as const;
const VALUES = [0, 1, 1024, 4096, 524288, 1048576, 8388608, UNLIMITED - 1n, UNLIMITED].map(String);
const FLAGS = [0, 1, 2, 3, 4, 8];
const TRANSIENT = "<domain type='test'><name>tr</name><memory>1048576</memory><os><type>hvm</type></os></domain>";

type Param = [string, number, string];

/** Mostly valid ULLONG lists; sometimes a duplicate, an int, an unknown name, to exercise the validator. */
const paramArb: fc.Arbitrary<Param> = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.constantFrom(...NAMES), fc.constant(T.ULLONG as number), fc.constantFrom(...VALUES)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(T.INT as number, T.UINT, T.LLONG), fc.constant('7')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('bogus', 'aaa', 'zzz'), fc.constant(T.ULLONG as number), fc.constant('7')) },
);
const paramSets: Param[][] = [
  [],
  [['hard_limit', 9, '1']], // a type libvirt does not know
  [['n'.repeat(79), T.ULLONG, '1']], // the longest name
  [['n'.repeat(80), T.ULLONG, '1']], // one byte too long
  ...fc.sample(fc.array(paramArb, { minLength: 1, maxLength: 4 }), { seed: 20261126, numRuns: 44 }),
];

/** Starting points: the running domain test, test shut off, and a running transient domain. */
const SETUPS: { name: string; steps: Step[]; dom: string }[] = [
  { name: 'running', steps: [], dom: 'test' },
  { name: 'inactive', steps: [{ op: 'destroy' }], dom: 'test' },
  { name: 'transient', steps: [{ op: 'createXML', xml: TRANSIENT }], dom: 'tr' },
];

/**
 * After each call: every view of the state, so a change in the wrong definition shows. The XML of `test` is
 * compared byte for byte; that of domains defined from a short document is not, as virtune does not add the
 * `<clock offset='utc'/>` libvirt prints for a definition without one.
 */
function snapshot(dom: string): Step[] {
  return [
    { op: 'get', dom, flags: 1 },
    { op: 'get', dom, flags: 2 },
    { op: 'get', dom, flags: 0 },
    { op: 'count', dom, flags: 0 },
    ...(dom === 'test' ? ([{ op: 'xml', dom, flags: 0 }, { op: 'xml', dom, flags: 2 }] as Step[]) : []),
  ];
}

function singleCallCases(): Step[][] {
  const cases: Step[][] = [];
  for (const setup of SETUPS)
    for (const params of paramSets)
      for (const flags of FLAGS) cases.push([...setup.steps, { op: 'set', dom: setup.dom, params, flags }, ...snapshot(setup.dom)]);
  return cases;
}

/**
 * Sequences of calls on one domain. Flags are limited so that the definition being changed is the one libvirt
 * checks hard <= swap against (libvirt compares CONFIG changes of a running domain with the live values).
 */
function sequenceCases(): Step[][] {
  const setArb = (flags: number[]) =>
    fc.record({ params: fc.array(paramArb, { minLength: 1, maxLength: 3 }), flags: fc.constantFrom(...flags) });
  const cases: Step[][] = [];
  const seq = (flags: number[], seed: number) =>
    fc.sample(fc.array(setArb(flags), { minLength: 2, maxLength: 6 }), { seed, numRuns: 15 });
  for (const calls of seq([0, 1], 1)) cases.push(calls.flatMap((c) => [{ op: 'set', params: c.params, flags: c.flags } as Step, ...snapshot('test')]));
  for (const calls of seq([0, 2], 2)) {
    cases.push([{ op: 'destroy' }, ...calls.flatMap((c) => [{ op: 'set', params: c.params, flags: c.flags } as Step, ...snapshot('test')])]);
  }
  return cases;
}

/** Lifecycle and setMemory around memory tuning. */
function lifecycleCases(): Step[][] {
  const hard = (v: number): Step => ({ op: 'set', params: [['hard_limit', T.ULLONG, String(v)]], flags: 0 });
  return [
    [hard(1024), { op: 'destroy' }, ...snapshot('test'), { op: 'create' }, ...snapshot('test')],
    [{ op: 'destroy' }, hard(2048), { op: 'create' }, ...snapshot('test'), { op: 'undefine' }, ...snapshot('test')],
    [{ op: 'undefine' }, ...snapshot('test'), hard(7), { op: 'destroy' }, ...snapshot('test')],
    [{ op: 'setmem', kib: 1000, flags: 0 }, { op: 'setmem', kib: 9000000, flags: 0 }, { op: 'setmem', kib: 0, flags: 0 }],
    [{ op: 'setmem', kib: 1000, flags: 6 }, { op: 'setmem', kib: 1000, flags: 4 }, { op: 'setmem', kib: 100, flags: 3 }],
    [{ op: 'destroy' }, { op: 'setmem', kib: 100, flags: 1 }, { op: 'setmem', kib: 5000, flags: 4 }, { op: 'setmem', kib: 10, flags: 16 }],
    [{ op: 'destroy' }, { op: 'destroy' }, { op: 'create' }, { op: 'create' }],
    [{ op: 'get', dom: 'nope', flags: 0 }],
    ...[0, 1, 2, 3, 4, 8, 16].map((flags): Step[] => [{ op: 'get', flags }, { op: 'count', flags }]),
  ];
}

describe.skipIf(skipUnless('python-libvirt'))('differential: test driver memory tuning vs libvirt', () => {
  it(`${paramSets.length} parameter sets x ${FLAGS.length} flag values x ${SETUPS.length} domain states give the same outcomes`, async () => {
    const cases = singleCallCases();
    expect(cases.length).toBeGreaterThanOrEqual(30 * FLAGS.length);
    const theirs = await expectSameOutcomes(cases);
    // The cases must cover both successes and each kind of error, or the comparison proves little.
    const kinds = new Set(theirs.flat().map((o) => ('error' in o ? o.error.message.replace(/'.*$/, '') : 'ok')));
    expect(kinds.size).toBeGreaterThanOrEqual(8);
  });

  it('sequences of calls give the same outcomes', async () => {
    await expectSameOutcomes(sequenceCases());
  });

  it('lifecycle and setMemory around memory tuning give the same outcomes', async () => {
    await expectSameOutcomes(lifecycleCases());
  });

  describe('deliberate differences (docs/parameters.md)', () => {
    it('a value above UNLIMITED: libvirt stores it, virtune refuses it', async () => {
      const big = String(BigInt(UNLIMITED) + 1n);
      const c: Step[][] = [[{ op: 'set', params: [['soft_limit', T.ULLONG, big]], flags: 0 }, { op: 'get', flags: 0 }]];
      const [theirs] = runOnLibvirt(c);
      const [ours] = await runOnVirtune(c);
      expect(theirs![0]).toEqual({ ok: null });
      expect(ours![0]).toEqual({
        error: { code: 8, domain: 12, level: 2, message: `invalid argument: Memory '${big}' must be less than '${UNLIMITED}'` },
      });
      expect(ours![1]).toEqual(runOnLibvirt([[{ op: 'get', flags: 0 }]])[0]![0]); // nothing changed
    });

    it('CONFIG on a running domain: libvirt checks hard <= swap against the live values, virtune against the config', async () => {
      const c: Step[][] = [
        [
          { op: 'set', params: [['hard_limit', T.ULLONG, '0'], ['swap_hard_limit', T.ULLONG, '0']], flags: 1 },
          { op: 'set', params: [['hard_limit', T.ULLONG, '100']], flags: 2 },
          { op: 'get', flags: 2 },
        ],
      ];
      const [theirs] = runOnLibvirt(c);
      const [ours] = await runOnVirtune(c);
      expect(theirs![1]).toEqual({
        error: { code: 8, domain: 12, level: 2, message: 'invalid argument: memory hard_limit tunable value must be lower than or equal to swap_hard_limit' },
      });
      expect(ours![1]).toEqual({ ok: null });
      expect(ours![2]).toEqual({ ok: [['hard_limit', T.ULLONG, '100'], ['soft_limit', T.ULLONG, String(UNLIMITED)], ['swap_hard_limit', T.ULLONG, String(UNLIMITED)]] });
    });

    it('min_guarantee and swap_soft_limit: libvirt refuses them, virtune stores them', async () => {
      const c: Step[][] = [[{ op: 'set', params: [['min_guarantee', T.ULLONG, '5']], flags: 0 }, { op: 'count', flags: 0 }]];
      const [theirs] = runOnLibvirt(c);
      const [ours] = await runOnVirtune(c);
      expect(theirs![0]).toEqual({
        error: { code: 74, domain: 0, level: 2, message: "argument unsupported: parameter 'min_guarantee' not supported" },
      });
      expect(ours).toEqual([{ ok: null }, { ok: 4 }]);
    });
  });
});
