import { describe, expect, it } from 'vitest';
import { checkAffectExclusive } from '../src/drivers/common/affect.js';
import { isFlagsWord } from '../src/error-flags-range.js';
import { ErrorCode, ErrorDomain, checkFlags } from '../src/errors.js';
import { virErrorOf } from './helpers/vir-error.js';

// Values no bit operation may see: a `&` would convert them (a huge array is joined, an object's valueOf runs).
const OUT_OF_RANGE: unknown[] = [-1, 0.5, 2 ** 32, NaN, Infinity, '1', 1n, [1], { valueOf: () => 1 }, null, undefined];

describe('the range of a flags argument', () => {
  it('is 0 to 2^32 - 1, integers only (-0 is 0)', () => {
    expect([0, -0, 1, 0xffffffff].map(isFlagsWord)).toEqual([true, true, true, true]);
    expect(OUT_OF_RANGE.map(isFlagsWord)).toEqual(OUT_OF_RANGE.map(() => false));
  });

  it('checkFlags and checkAffectExclusive refuse the same values with the same words', () => {
    for (const flags of OUT_OF_RANGE) {
      const viaCheckFlags = virErrorOf(() => checkFlags(flags as number, 3, 'testFn', ErrorDomain.TEST));
      expect([viaCheckFlags.code, viaCheckFlags.domain, viaCheckFlags.message]).toEqual([
        ErrorCode.INVALID_ARG,
        ErrorDomain.TEST,
        'invalid argument: flags must be an unsigned 32-bit integer in function testFn',
      ]);
      const viaAffect = virErrorOf(() => checkAffectExclusive(flags as number));
      expect([viaAffect.code, viaAffect.domain, viaAffect.message]).toEqual([
        ErrorCode.INVALID_ARG,
        ErrorDomain.DOMAIN,
        'invalid argument: flags must be an unsigned 32-bit integer',
      ]);
    }
  });
});
