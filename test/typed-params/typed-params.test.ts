import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode, VirError } from '../../src/errors.js';
import {
  TypedParameterType as T,
  addTypedParam,
  filterTypedParams,
  getTypedParam,
  getTypedParamValue,
  normalizeTypedParam,
  typedParamsFromRecord,
  typedParamsToRecord,
  ullong,
  validateTypedParams,
  type TypedParameterInput,
} from '../../src/typed-params/index.js';
import { virErrorOf } from '../helpers/vir-error.js';

describe('typed parameter types', () => {
  it("use libvirt's numbers", () => {
    expect([T.INT, T.UINT, T.LLONG, T.ULLONG, T.DOUBLE, T.BOOLEAN, T.STRING]).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('normalizeTypedParam', () => {
  it('carries 64-bit values as bigint and accepts a safe-integer number', () => {
    expect(normalizeTypedParam({ field: 'x', type: T.ULLONG, value: 5 })).toEqual({ field: 'x', type: T.ULLONG, value: 5n });
    expect(normalizeTypedParam({ field: 'x', type: T.LLONG, value: -5n }).value).toBe(-5n);
  });

  it('never rounds: an unsafe number is refused', () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** 53, max: 2 ** 63, noNaN: true }), (v) => {
        expect(virErrorOf(() => normalizeTypedParam({ field: 'x', type: T.ULLONG, value: v })).code).toBe(ErrorCode.INVALID_ARG);
      }),
    );
  });

  it('keeps every bigint in range and refuses those outside', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }), (v) => {
        const ok = v >= 0n && v < 2n ** 64n;
        if (ok) expect(normalizeTypedParam({ field: 'x', type: T.ULLONG, value: v }).value).toBe(v);
        else expect(() => normalizeTypedParam({ field: 'x', type: T.ULLONG, value: v })).toThrow(VirError);
      }),
    );
  });

  it('checks 32-bit ranges, booleans, doubles and strings', () => {
    expect(() => normalizeTypedParam({ field: 'x', type: T.INT, value: 2 ** 31 })).toThrow(VirError);
    expect(() => normalizeTypedParam({ field: 'x', type: T.UINT, value: -1 })).toThrow(VirError);
    expect(normalizeTypedParam({ field: 'x', type: T.UINT, value: 2 ** 32 - 1 }).value).toBe(2 ** 32 - 1);
    expect(() => normalizeTypedParam({ field: 'x', type: T.BOOLEAN, value: 1 } as never)).toThrow(VirError);
    expect(normalizeTypedParam({ field: 'x', type: T.DOUBLE, value: 0.5 }).value).toBe(0.5);
    expect(() => normalizeTypedParam({ field: 'x', type: T.STRING, value: 'a\0b' })).toThrow(VirError);
  });

  it('allows names of at most 79 bytes', () => {
    expect(normalizeTypedParam({ field: 'n'.repeat(79), type: T.INT, value: 1 }).field).toHaveLength(79);
    const e = virErrorOf(() => normalizeTypedParam({ field: 'n'.repeat(80), type: T.INT, value: 1 }));
    expect(e.message).toBe(`string parameter name '${'n'.repeat(80)}' too long`);
    // bytes, not characters: 40 two-byte characters are 80 bytes
    expect(() => normalizeTypedParam({ field: 'é'.repeat(40), type: T.INT, value: 1 })).toThrow(VirError);
  });

  it('counts the bytes of names of three- and four-byte characters exactly at the 79-byte boundary', () => {
    const fits = ['€'.repeat(26), '€'.repeat(26) + 'n', '😀'.repeat(19) + 'nnn'];
    const tooLong = ['€'.repeat(27), '€'.repeat(26) + 'nn', '😀'.repeat(20), '😀'.repeat(19) + 'nnnn'];
    for (const field of fits) expect(normalizeTypedParam({ field, type: T.INT, value: 1 }).field).toBe(field);
    for (const field of tooLong) {
      expect(virErrorOf(() => normalizeTypedParam({ field, type: T.INT, value: 1 })).message).toMatch(/too long$/);
      expect(virErrorOf(() => validateTypedParams([{ field, type: T.INT, value: 1 }], { [field]: T.INT })).message).toMatch(
        /too long$/,
      );
    }
  });
});

describe('validateTypedParams', () => {
  const spec = { hard_limit: T.ULLONG, soft_limit: T.ULLONG, weight: T.UINT };

  it('returns the list normalized, in the caller order', () => {
    const out = validateTypedParams(
      [
        { field: 'soft_limit', type: T.ULLONG, value: 2 },
        { field: 'hard_limit', type: T.ULLONG, value: 1n },
      ],
      spec,
    );
    expect(out.map((p) => [p.field, p.value])).toEqual([
      ['soft_limit', 2n],
      ['hard_limit', 1n],
    ]);
  });

  it("uses libvirt's messages and codes", () => {
    const dup = virErrorOf(() => validateTypedParams([ullong('hard_limit', 1), ullong('hard_limit', 2)], spec));
    expect([dup.code, dup.message]).toEqual([ErrorCode.INVALID_ARG, "invalid argument: parameter 'hard_limit' occurs multiple times"]);
    const type = virErrorOf(() => validateTypedParams([{ field: 'weight', type: T.ULLONG, value: 1n }], spec));
    expect(type.message).toBe("invalid argument: invalid type 'ullong' for parameter 'weight', expected 'uint'");
    const unknown = virErrorOf(() => validateTypedParams([ullong('nope', 1)], spec));
    expect([unknown.code, unknown.message]).toEqual([ErrorCode.ARGUMENT_UNSUPPORTED, "argument unsupported: parameter 'nope' not supported"]);
  });

  it('never accepts a name outside the spec, for any input', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (name) => {
        const p: TypedParameterInput = { field: name, type: T.ULLONG, value: 1n };
        if (name in spec || name.includes('\0')) return;
        expect(() => validateTypedParams([p], spec)).toThrow(VirError);
      }),
    );
  });
});

describe('helpers', () => {
  const params = [ullong('a', 1), ullong('b', 2), { field: 'c', type: T.STRING, value: 'x' } as const];

  it('get, filter and add', () => {
    expect(getTypedParam(params, 'b')?.value).toBe(2n);
    expect(getTypedParam(params, 'z')).toBeUndefined();
    expect(filterTypedParams([...params, ullong('a', 3)], 'a').map((p) => p.value)).toEqual([1n, 3n]);
    const added = addTypedParam(params, { field: 'd', type: T.ULLONG, value: 7 });
    expect(added).toHaveLength(4);
    expect(params).toHaveLength(3);
    expect(added[3]).toEqual({ field: 'd', type: T.ULLONG, value: 7n });
  });

  it('getTypedParamValue checks the type', () => {
    expect(getTypedParamValue(params, 'a', T.ULLONG)).toBe(1n);
    expect(getTypedParamValue(params, 'z', T.ULLONG)).toBeUndefined();
    expect(virErrorOf(() => getTypedParamValue(params, 'c', T.ULLONG)).message).toBe(
      "invalid argument: invalid type 'string' for parameter 'c', expected 'ullong'",
    );
  });

  it('round-trips through a record', () => {
    const types = { a: T.ULLONG, b: T.ULLONG, c: T.STRING };
    const rec = typedParamsToRecord(params);
    expect(rec).toEqual({ a: 1n, b: 2n, c: 'x' });
    expect(typedParamsFromRecord(rec as Record<string, bigint | string>, types)).toEqual(params);
    expect(virErrorOf(() => typedParamsFromRecord({ q: 1 }, types)).code).toBe(ErrorCode.ARGUMENT_UNSUPPORTED);
  });

  it('records keep the first of a repeated name (as get does) and only own names', () => {
    const rec = typedParamsToRecord([ullong('a', 1), ullong('a', 2), ullong('__proto__', 3)]);
    expect(rec.a).toBe(getTypedParam([ullong('a', 1), ullong('a', 2)], 'a')?.value);
    expect(Object.keys(rec)).toEqual(['a', '__proto__']);
    expect(Object.getPrototypeOf(rec)).toBe(Object.prototype);
    const e = virErrorOf(() => typedParamsFromRecord({ constructor: 1n }, { a: T.ULLONG }));
    expect([e.code, e.message]).toEqual([ErrorCode.ARGUMENT_UNSUPPORTED, "argument unsupported: parameter 'constructor' not supported"]);
  });
});
