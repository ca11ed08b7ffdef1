// Fuzzing typed parameters: lists of any names, types and values — repeats, unknown names, names at the 80-byte
// limit in multibyte text, types libvirt does not have, numbers where bigints belong, values at and past each
// type's range — through the validation functions and through setMemoryParameters on libvirt's test driver.
// Every case ends in a result or a VirError within the per-case deadline, and a refused set changes nothing.
// A CI slice runs in `npm test`; `npm run fuzz` runs the full count (test/helpers/fuzz.ts).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Connection, type Domain } from '../../src/index.js';
import { VirError } from '../../src/errors.js';
import { LIBVIRT_MEMTUNE_PARAMS, MEMORY_PARAM_NAMES, memoryParamSpec } from '../../src/memory/params.js';
import { parseMemoryParams } from '../../src/memory/validate.js';
import { TypedParameterType, type TypedParameterInput } from '../../src/typed-params/types.js';
import { normalizeTypedParam, validateTypedParams } from '../../src/typed-params/validate.js';
import { ErrorDomain } from '../../src/error-codes.js';
import { FuzzTally, fuzzRuns, withinDeadline } from '../helpers/fuzz.js';

const field = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...MEMORY_PARAM_NAMES) },
  fc.constantFrom('', 'cpu_shares', '__proto__', 'constructor', 'hard_limit\0', 'HARD_LIMIT', 'x'.repeat(79), 'x'.repeat(80), '中'.repeat(26), '中'.repeat(27)),
  fc.string({ maxLength: 90 }),
);
const type = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 6, 7) }, fc.constantFrom(0, 8, -1, 4.5, NaN, '4', 4n));
const value = fc.oneof(
  fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }),
  fc.constantFrom(0n, 1n, -1n, 9007199254740991n, 9007199254740992n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 31n, 2n ** 32n),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 53, -(2 ** 53), Infinity, NaN, -0),
  fc.boolean(),
  fc.string({ maxLength: 10 }),
  fc.constantFrom('a\0b', null, undefined, {}, [], Symbol('s')),
);
const param = fc.record({ field, type, value }) as fc.Arbitrary<TypedParameterInput>;
const params = fc.array(param, { maxLength: 6 });

function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    if (e instanceof VirError) return e;
    throw e;
  }
}

const show = (list: unknown[]): string =>
  JSON.stringify(list, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? String(v) : v));

describe('fuzzing typed parameters: every list ends in a result or a VirError', () => {
  let conn: Connection;
  let dom: Domain;
  beforeAll(async () => {
    conn = await openConnection('test:///default');
    dom = await conn.lookupDomainByName('test');
  });
  afterAll(async () => conn.close());

  it('through the validation functions', async () => {
    const tally = new FuzzTally('typed parameters, validation');
    const spec = memoryParamSpec(MEMORY_PARAM_NAMES);
    await fc.assert(
      fc.asyncProperty(params, async (list) => {
        tally.case();
        await withinDeadline(() => `validate ${show(list)}`, () => {
          outcome(() => validateTypedParams(list, spec));
          outcome(() => parseMemoryParams(list, LIBVIRT_MEMTUNE_PARAMS, ErrorDomain.TEST));
          for (const p of list) outcome(() => normalizeTypedParam(p));
        });
      }),
      { numRuns: fuzzRuns(2_000, 30_000) },
    );
    tally.report();
  });

  it('through setMemoryParameters on the test driver: a refused list changes nothing', async () => {
    const tally = new FuzzTally('typed parameters, setMemoryParameters');
    await fc.assert(
      fc.asyncProperty(params, fc.constantFrom(0, 1, 2, 3, 4, 8), async (list, flags) => {
        tally.case();
        await withinDeadline(() => `set ${show(list)} flags ${flags}`, async () => {
          const before = await dom.getMemoryParameters(0);
          try {
            await dom.setMemoryParameters(list, flags);
          } catch (e) {
            if (!(e instanceof VirError)) throw e;
            expect(await dom.getMemoryParameters(0)).toEqual(before);
          }
        });
      }),
      { numRuns: fuzzRuns(500, 15_000) },
    );
    tally.report();
  });
});
