// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
import { describe, expect, it } from 'vitest';
import { openConnection } from '../../src/index.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../src/flags.js';
import { TypedParameterType as T, type TypedParameterInput } from '../../src/typed-params/types.js';
import { expectSameAsBinding, expectSameOutcomes, outcomesOf, runOnLibvirt, runOnVirtune, type CallOutcome, type Step } from '../helpers/libvirt-oracle.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * virtune's test driver against libvirt's own for blkio parameters (test:///default through ctypes, so any type and
 * empty lists reach libvirt as a C caller sends them): same values, error codes, domains and messages. The one
 * deliberate difference — a call with a failing list changes nothing in virtune, while libvirt applies the other
 * lists — is tested at the end.
 */

type Param = [string, number, string];
const S = (field: string, value: string): Param => [field, T.STRING, value];
const W = (value: string, type: number = T.UINT): Param => ['weight', type, value];

const TRANSIENT = "<domain type='test'><name>tr</name><memory>1048576</memory><os><type>hvm</type></os></domain>";
const FLAGS = [0, 1, 2, 3, 8];

/** Calls that libvirt accepts whole or refuses whole (one failing list at most, nothing else beside it). */
const PARAM_SETS: Param[][] = [
  [],
  [W('500')],
  [W('5000')], // beyond the schema's 1000: the API does not check
  [W('0')],
  [W('7', T.INT)],
  [W('7', T.ULLONG)],
  [S('weight', '7')],
  [['bogus', T.UINT, '1']],
  [W('1'), W('2')],
  [S('device_weight', '/dev/sda,100')],
  [S('device_weight', '')],
  [S('device_weight', '/dev/sda,0')],
  [S('device_weight', '/a,1,/a,2')],
  [S('device_weight', '/a,1,/b,2,/c,3')],
  [S('device_weight', ' /a, 5,/b,+6')],
  [S('device_weight', '/a,1,/b')],
  [S('device_weight', '/a')],
  [S('device_weight', '/a,1,')],
  [S('device_weight', '/a,x')],
  [S('device_weight', '/a,-1')],
  [S('device_weight', '/a,1x')],
  [S('device_weight', '/a,,/b,1')],
  [S('device_weight', '/a,4294967295')],
  [S('device_weight', '/a,4294967296')],
  [S('device_read_iops_sec', '/a,4294967296')],
  [S('device_write_iops_sec', '/a,7,/b,8')],
  [S('device_read_bytes_sec', '/a,18446744073709551615')],
  [S('device_write_bytes_sec', '/a,18446744073709551616,/b,1')],
  [S('device_weight', '/a,x'), S('device_read_iops_sec', '/b,y')], // libvirt reports the last failure
  [W('300'), S('device_weight', '/a,1'), S('device_read_iops_sec', '/b,2'), S('device_write_iops_sec', '/a,3'),
    S('device_read_bytes_sec', '/c,4'), S('device_write_bytes_sec', '/b,5')],
  [S('device_read_iops_sec', '/z,1'), S('device_weight', '/y,2')], // new devices appended in the order given
  [['device_weight', T.UINT, '5']],
];

const SETUPS: { name: string; steps: Step[]; dom: string }[] = [
  { name: 'running', steps: [], dom: 'test' },
  { name: 'inactive', steps: [{ op: 'destroy' }], dom: 'test' },
  { name: 'transient', steps: [{ op: 'createXML', xml: TRANSIENT }], dom: 'tr' },
];

/**
 * Every view of the state after a call: the live and persistent definitions, and CURRENT; for `test`, its XML
 * (live and inactive), byte for byte — `<blkiotune>` as libvirt prints it, devices with nothing set left out.
 */
const snapshot = (dom: string): Step[] => [
  ...[0, 1, 2].map((flags): Step => ({ op: 'get', family: 'blkio', dom, flags })),
  ...(dom === 'test' ? [0, 2].map((flags): Step => ({ op: 'xml', dom, flags })) : []),
];
const set = (params: Param[], flags = 0, dom = 'test'): Step => ({ op: 'set', family: 'blkio', dom, params, flags });

function singleCallCases(): Step[][] {
  const cases: Step[][] = [];
  for (const setup of SETUPS)
    for (const params of PARAM_SETS) for (const flags of FLAGS) cases.push([...setup.steps, set(params, flags, setup.dom), ...snapshot(setup.dom)]);
  return cases;
}

/** Merging into what earlier calls set: a 0 clears a value and keeps the device's place; later values win. */
const SEQUENCES: Step[][] = [
  [set([S('device_weight', '/a,1,/b,2')]), set([S('device_weight', '/a,0')]), ...snapshot('test'), set([S('device_weight', '/a,3')]), ...snapshot('test')],
  [set([S('device_read_bytes_sec', '/a,10'), S('device_weight', '/a,1')]), set([S('device_weight', '/a,0')]), ...snapshot('test')],
  [set([W('200')]), set([W('0')]), ...snapshot('test'), set([W('300')], 2), ...snapshot('test')],
  [{ op: 'destroy' }, set([S('device_write_iops_sec', '/a,1')]), { op: 'create' }, ...snapshot('test')],
  [set([S('device_weight', '/a,1')], 1), { op: 'destroy' }, ...snapshot('test'), { op: 'create' }, ...snapshot('test')],
  [{ op: 'get', family: 'blkio', dom: 'nope', flags: 0 }],
  ...[0, 1, 2, 3, 4, 8, 16].map((flags): Step[] => [{ op: 'get', family: 'blkio', flags }]),
];

describe.skipIf(skipUnless('python-libvirt'))('differential: test driver blkio tuning vs libvirt', () => {
  it(`${PARAM_SETS.length} parameter sets x ${FLAGS.length} flag values x ${SETUPS.length} domain states give the same outcomes`, async () => {
    const theirs = await expectSameOutcomes(singleCallCases());
    // Both successes and every kind of error, or the comparison proves little.
    const kinds = new Set(theirs.flat().map((o) => ('error' in o ? o.error.message.replace(/'.*$/, '') : 'ok')));
    expect(kinds.size).toBeGreaterThanOrEqual(9);
  });

  it('sequences of calls give the same outcomes', async () => {
    await expectSameOutcomes(SEQUENCES);
  });

  it('deliberate difference: an empty device path is refused (libvirt stores it, then prints XML it cannot read back)', async () => {
    const c: Step[][] = [[set([S('device_weight', '/a,1,,2')]), { op: 'xml', flags: 0 }]];
    const [theirs] = runOnLibvirt(c);
    const [ours] = await runOnVirtune(c);
    expect(theirs![0]).toEqual({ ok: null });
    expect((theirs![1] as { ok: string }).ok).toContain('<path></path>');
    expect(ours![0]).toEqual({
      error: { code: 8, domain: 20, level: 2, message: "invalid argument: unable to parse blkio device 'device_weight' '/a,1,,2'" },
    });
  });

  it('deliberate difference: a failing list leaves everything as it was (libvirt applies the others)', async () => {
    const c: Step[][] = [[set([W('500'), S('device_weight', '/a,1'), S('device_read_iops_sec', '/b,x')]), { op: 'get', family: 'blkio', flags: 0 }]];
    const [theirs] = runOnLibvirt(c);
    const [ours] = await runOnVirtune(c);
    expect(ours![0]).toEqual(theirs![0]); // the same error
    const firstTwo = (o: unknown) => (o as { ok: unknown[] }).ok.slice(0, 2);
    expect(firstTwo(theirs![1])).toEqual([['weight', T.UINT, '500'], ['device_weight', T.STRING, '/a,1']]);
    expect(firstTwo(ours![1])).toEqual([['weight', T.UINT, '0'], ['device_weight', T.STRING, '']]);
  });
});

/**
 * The same calls as a Python application makes them through python3-libvirt: the binding asks the getter (with the
 * caller's flags) for the parameters' types, then sets; afterwards both definitions are read back.
 */
interface BindingCase {
  family: 'blkio';
  setup: 'running' | 'inactive';
  params: Record<string, string>;
  flags: number;
}
type BindingOutcome = CallOutcome;

const BINDING_PARAMS: Record<string, string>[] = [
  { weight: '500' },
  { device_weight: '/dev/sda,100,/dev/sdb,200' },
  { weight: '300', device_write_iops_sec: '/a,5', device_read_bytes_sec: '/a,18446744073709551615' },
  { device_read_bytes_sec: '/a,1,/b' },
  { device_weight: '' },
];
const BINDING_CASES: BindingCase[] = (['running', 'inactive'] as const).flatMap((setup) =>
  [0, DOMAIN_AFFECT_LIVE, DOMAIN_AFFECT_CONFIG, 3, 8].flatMap((flags) => BINDING_PARAMS.map((params): BindingCase => ({ family: 'blkio', setup, params, flags }))),
);

async function bindingOnVirtune(c: BindingCase): Promise<BindingOutcome[]> {
  const conn = await openConnection('test:///default');
  try {
    const dom = await conn.lookupDomainByName('test');
    if (c.setup === 'inactive') await dom.destroy();
    const pairs = (ps: { field: string; value: unknown }[]) => ps.map((p) => [p.field, String(p.value)]).sort();
    const calls = [
      async () => {
        const types = await dom.getBlkioParameters(c.flags); // the binding's type lookup
        const params = Object.entries(c.params).map(([field, v]) => {
          const type = types.find((p) => p.field === field)!.type;
          return (type === T.STRING ? { field, type, value: v } : { field, type, value: Number(v) }) as TypedParameterInput;
        });
        return (await dom.setBlkioParameters(params, c.flags), 0); // the binding returns libvirt's 0
      },
      async () => pairs(await dom.getBlkioParameters(DOMAIN_AFFECT_CONFIG)),
      ...((await dom.isActive()) ? [async () => pairs(await dom.getBlkioParameters(DOMAIN_AFFECT_LIVE))] : []),
    ];
    return await outcomesOf(calls);
  } finally {
    await conn.close();
  }
}

describe.skipIf(skipUnless('python-libvirt'))('differential: blkio through python3-libvirt', () => {
  it(`${BINDING_CASES.length} cases give the same outcomes`, async () => {
    const theirs = await expectSameAsBinding(BINDING_CASES, bindingOnVirtune);
    const errors = new Set(theirs.flat().flatMap((o) => ('error' in o ? [o.error.message.replace(/'.*$/, '')] : [])));
    expect(errors.size).toBeGreaterThanOrEqual(4); // flags, exclusive flags, not running, a bad list
  });
});
