import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import { typedParamFromString } from '../../src/typed-params/from-string.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { virErrorOf } from '../helpers/vir-error.js';

const value = (type: T, text: string) => typedParamFromString('f', type, text).value;
const message = (type: T, text: string) => virErrorOf(() => typedParamFromString('f', type, text)).message;

describe("typed values from text (libvirt's virTypedParamsAddFromString)", () => {
  it('reads unsigned ints as virStrToLong_ui does on 64 bits: -N wraps within 32 bits', () => {
    expect(value(T.UINT, '7')).toBe(7);
    expect(value(T.UINT, ' +7')).toBe(7);
    expect(value(T.UINT, '-1')).toBe(4294967295);
    expect(value(T.UINT, '4294967295')).toBe(4294967295);
    expect(message(T.UINT, '4294967296')).toBe("invalid argument: Invalid value for field 'f': expected unsigned int");
    expect(message(T.UINT, '-4294967296')).toContain('expected unsigned int');
  });

  it('reads unsigned long longs as strtoull: -1 is ULLONG_MAX, past 2^64 is an error', () => {
    expect(value(T.ULLONG, '-1')).toBe(2n ** 64n - 1n);
    expect(value(T.ULLONG, '18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(message(T.ULLONG, '18446744073709551616')).toBe(
      "invalid argument: Invalid value for field 'f': expected unsigned long long",
    );
  });

  it('reads signed values in range, whole strings only', () => {
    expect(value(T.LLONG, '-9223372036854775808')).toBe(-(2n ** 63n));
    expect(message(T.LLONG, '9223372036854775808')).toContain('expected long long');
    expect(value(T.INT, '-2147483648')).toBe(-(2 ** 31));
    expect(message(T.INT, '2147483648')).toContain('expected int');
    for (const bad of ['', '5 ', '5x', '0x10', '- 5', 'abc']) expect(message(T.LLONG, bad)).toContain('expected long long');
  });

  it('reads booleans, doubles and strings', () => {
    expect([value(T.BOOLEAN, 'TRUE'), value(T.BOOLEAN, '0')]).toEqual([true, false]);
    expect(message(T.BOOLEAN, 'yes')).toBe("invalid argument: Invalid boolean value for field 'f'");
    expect([value(T.DOUBLE, '1.5e3'), value(T.DOUBLE, '-inf')]).toEqual([1500, -Infinity]);
    expect(message(T.DOUBLE, '1.5x')).toContain('expected double');
    expect(value(T.STRING, ' a=b ')).toBe(' a=b ');
  });

  it('errors are INVALID_ARG from error domain NONE', () => {
    const e = virErrorOf(() => typedParamFromString('weight', T.UINT, 'x'));
    expect([e.code, e.domain]).toEqual([ErrorCode.INVALID_ARG, ErrorDomain.NONE]);
  });
});
