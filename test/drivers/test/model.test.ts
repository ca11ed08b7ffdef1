import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openConnection, type Domain } from '../../../src/index.js';
import { ErrorCode, VirError } from '../../../src/errors.js';
import { DOMAIN_XML_INACTIVE } from '../../../src/flags.js';
import { UNLIMITED } from '../../../src/memory/params.js';
import { TypedParameterType as T, type TypedParameterInput } from '../../../src/typed-params/types.js';

/**
 * A model test: random sequences of valid and invalid calls (memory parameters, setMemory, lifecycle) on
 * test:///default's domain `test`, each checked
 * against a tiny reference model written independently of the driver. After every call the driver's state must
 * equal the model's, and a call the model says is invalid must fail and change nothing.
 */

const FIELDS = ['hard_limit', 'soft_limit', 'swap_hard_limit', 'min_guarantee', 'swap_soft_limit'] as const;
type Field = (typeof FIELDS)[number];
type Tune = Record<Field, bigint>;
const U = BigInt(UNLIMITED);
const EMPTY: Tune = { hard_limit: U, soft_limit: U, swap_hard_limit: U, min_guarantee: 0n, swap_soft_limit: U };

/** `<memory>` and `<currentMemory>` of one definition, KiB. */
interface Mem {
  max: number;
  cur: number;
}

interface Model {
  exists: boolean;
  active: boolean;
  persistent: boolean;
  live: Tune;
  config: Tune;
  liveMem: Mem;
  configMem: Mem;
}

type Cmd =
  | { kind: 'set'; params: { field: string; type: number; value: bigint }[]; flags: number }
  | { kind: 'setmem'; kib: number; flags: number }
  | { kind: 'destroy' | 'create' | 'undefine' };

/** What the model expects a call to do: an error code, or the new model. */
function expected(m: Model, c: Cmd): { error: ErrorCode } | { next: Model } {
  if (c.kind === 'set') return expectedSet(m, c);
  if (c.kind === 'setmem') return expectedSetMem(m, c);
  if (!m.exists) return { error: ErrorCode.NO_DOMAIN };
  if (c.kind === 'destroy') {
    if (!m.active) return { error: ErrorCode.OPERATION_INVALID };
    return { next: { ...m, exists: m.persistent, active: false } };
  }
  if (c.kind === 'create') {
    if (m.active) return { error: ErrorCode.INTERNAL_ERROR };
    return { next: { ...m, active: true, live: { ...m.config }, liveMem: { ...m.configMem } } };
  }
  return m.active ? { next: { ...m, persistent: false } } : { next: { ...m, exists: false } };
}

/** setMemory (DOMAIN_MEM_MAXIMUM = 4 changes `<memory>`, of an inactive definition only). */
function expectedSetMem(m: Model, c: Extract<Cmd, { kind: 'setmem' }>): { error: ErrorCode } | { next: Model } {
  if (c.kib === 0) return { error: ErrorCode.INVALID_ARG };
  if ((c.flags & ~7) !== 0) return { error: ErrorCode.INVALID_ARG };
  if (!m.exists) return { error: ErrorCode.NO_DOMAIN };
  if ((c.flags & 3) === 3) return { error: ErrorCode.INVALID_ARG };
  const live = (c.flags & 1) !== 0 || ((c.flags & 3) === 0 && m.active);
  if (live && !m.active) return { error: ErrorCode.OPERATION_INVALID };
  if (!live && !m.persistent) return { error: ErrorCode.OPERATION_INVALID };
  const mem = { ...(live ? m.liveMem : m.configMem) };
  if ((c.flags & 4) !== 0) {
    if (live) return { error: ErrorCode.OPERATION_INVALID };
    mem.max = c.kib;
    mem.cur = Math.min(mem.cur, c.kib);
  } else {
    if (c.kib > mem.max) return { error: ErrorCode.INVALID_ARG };
    mem.cur = c.kib;
  }
  return { next: live ? { ...m, liveMem: mem } : { ...m, configMem: mem } };
}

/** Argument checks come first (libvirt's public function, then the driver's), the domain lookup after them. */
function expectedSet(m: Model, c: Extract<Cmd, { kind: 'set' }>): { error: ErrorCode } | { next: Model } {
  if (c.params.length === 0) return { error: ErrorCode.INVALID_ARG };
  if ((c.flags & ~3) !== 0) return { error: ErrorCode.INVALID_ARG };
  const names = c.params.map((p) => p.field);
  // libvirt walks the list in name order and reports the first problem it meets.
  const sorted = [...c.params].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.field === p.field) return { error: ErrorCode.INVALID_ARG };
    if (!(FIELDS as readonly string[]).includes(p.field)) return { error: ErrorCode.ARGUMENT_UNSUPPORTED };
    if (p.type !== T.ULLONG) return { error: ErrorCode.INVALID_ARG };
  }
  if (c.params.some((p) => p.value > U)) return { error: ErrorCode.INVALID_ARG };
  if (!m.exists) return { error: ErrorCode.NO_DOMAIN };
  if (c.flags === 3) return { error: ErrorCode.INVALID_ARG };
  const live = c.flags === 1 || (c.flags === 0 && m.active);
  if (live && !m.active) return { error: ErrorCode.OPERATION_INVALID };
  if (!live && !m.persistent) return { error: ErrorCode.OPERATION_INVALID };
  const merged = { ...(live ? m.live : m.config) };
  for (const p of c.params) merged[p.field as Field] = p.value;
  const pair = names.includes('hard_limit') || names.includes('swap_hard_limit');
  if (pair && merged.hard_limit > merged.swap_hard_limit) return { error: ErrorCode.INVALID_ARG };
  return { next: live ? { ...m, live: merged } : { ...m, config: merged } };
}

/** `<memory>` and `<currentMemory>` as the XML of one definition shows them. */
async function observedMem(d: Domain, inactive: boolean): Promise<Mem> {
  const xml = await d.getXMLDesc(inactive ? DOMAIN_XML_INACTIVE : 0);
  const num = (tag: string) => Number(new RegExp(`<${tag} unit='KiB'>(\\d+)</${tag}>`).exec(xml)![1]);
  return { max: num('memory'), cur: num('currentMemory') };
}

async function observed(d: Domain, flags: number): Promise<Tune> {
  const t = { ...EMPTY };
  for (const p of await d.getMemoryParameters(flags)) t[p.field as Field] = p.value as bigint;
  return t;
}

const valueArb = fc.oneof(
  fc.constantFrom(0n, 1n, 1024n, 4096n, 1048576n, U - 1n, U),
  fc.bigInt({ min: 0n, max: U }),
  fc.constant(U + 1n),
);
const paramArb = fc.record({
  field: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: fc.constant('bogus') }),
  type: fc.oneof({ weight: 12, arbitrary: fc.constant(T.ULLONG as number) }, { weight: 1, arbitrary: fc.constant(T.LLONG as number) }),
  value: valueArb,
});
const setMemArb = fc.record({
  kind: fc.constant('setmem' as const),
  kib: fc.constantFrom(0, 1, 1000, 2097152, 4194304, 8388608, 8388609),
  flags: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 8),
});
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: setMemArb },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('set' as const), params: fc.array(paramArb, { maxLength: 4 }), flags: fc.constantFrom(0, 0, 1, 2, 3, 4) }) },
  { weight: 1, arbitrary: fc.constantFrom<Cmd>({ kind: 'destroy' }, { kind: 'create' }, { kind: 'undefine' }) },
);

describe('test driver against a reference model', () => {
  it('state always equals the model; invalid calls fail and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 1, maxLength: 25 }), async (cmds) => {
        const conn = await openConnection('test:///default');
        try {
          const d = await conn.lookupDomainByName('test');
          const mem: Mem = { max: 8388608, cur: 2097152 };
          let m: Model = {
            exists: true,
            active: true,
            persistent: true,
            live: { ...EMPTY },
            config: { ...EMPTY },
            liveMem: { ...mem },
            configMem: { ...mem },
          };
          for (const c of cmds) {
            const want = expected(m, c);
            let got: VirError | undefined;
            try {
              if (c.kind === 'set') await d.setMemoryParameters(c.params as TypedParameterInput[], c.flags);
              else if (c.kind === 'setmem') await d.setMemory(c.kib, c.flags);
              else await d[c.kind]();
            } catch (e) {
              if (!(e instanceof VirError)) throw e;
              got = e;
            }
            if ('error' in want) expect(got?.code, JSON.stringify(c, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(want.error);
            else {
              expect(got).toBeUndefined();
              m = want.next;
            }
            if (!m.exists) {
              expect((await conn.listAllDomains()).length).toBe(0);
              continue;
            }
            expect([await d.isActive(), await d.isPersistent()]).toEqual([m.active, m.persistent]);
            if (m.active) expect(await observed(d, 1)).toEqual(m.live);
            if (m.persistent) expect(await observed(d, 2)).toEqual(m.config);
            expect(await observedMem(d, false)).toEqual(m.active ? m.liveMem : m.configMem);
            if (m.persistent) expect(await observedMem(d, true)).toEqual(m.configMem);
          }
        } finally {
          await conn.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
