import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQmpJson, qmpBigInt, stringifyQmpJson, type QmpValue } from '../../../src/drivers/qemu/qmp-json.js';

// Values as QMP can carry them: integers beyond 2^53 as bigint, every other number a safe integer or a double.
const qmpValue = fc.letrec<{ value: QmpValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.string(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc
      .bigInt({ min: -(2n ** 64n), max: 2n ** 64n })
      .filter((b) => b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('parseQmpJson', () => {
  it('keeps the balloon stat 18446744073709551615 exact', () => {
    const v = parseQmpJson('{"return": {"stats": {"stat-swap-in": 18446744073709551615}, "last-update": 0}}');
    expect(v).toEqual({ return: { stats: { 'stat-swap-in': 18446744073709551615n }, 'last-update': 0 } });
  });

  it('turns integers just past 2^53 into bigint and keeps 2^53-1 a number', () => {
    expect(parseQmpJson('9007199254740991')).toBe(9007199254740991);
    expect(parseQmpJson('9007199254740992')).toBe(9007199254740992n);
    expect(parseQmpJson('-9007199254740993')).toBe(-9007199254740993n);
    expect(parseQmpJson('[1.5e300, 12345678901234567.5]')).toEqual([1.5e300, 12345678901234567.5]);
  });

  it('decodes string escapes inside a document that takes the exact path', () => {
    expect(parseQmpJson('{"a\\"b": "\\u00e9\\n", "n": 18446744073709551615}')).toEqual({
      'a"b': 'é\n',
      n: 18446744073709551615n,
    });
  });

  it('keeps a __proto__ key as data', () => {
    const v = parseQmpJson('{"__proto__": {"x": 1}, "n": 99999999999999999}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'n']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it.each(['{', '[1,]', '{"a" 1}', '01', '"abc', '12345678901234567 x', 'tru', '{"a":1}}'])(
    'rejects malformed input %s like JSON.parse does',
    (bad) => {
      expect(() => JSON.parse(bad)).toThrow(SyntaxError);
      expect(() => parseQmpJson(bad.replace('1', '12345678901234567'))).toThrow(SyntaxError);
    },
  );

  it('round-trips every QMP value through stringify', () => {
    fc.assert(
      fc.property(qmpValue, (v) => {
        expect(parseQmpJson(stringifyQmpJson(v))).toEqual(v);
      }),
    );
  });

  it('agrees with JSON.parse except that unsafe integers are exact', () => {
    const lossy = (v: QmpValue): unknown =>
      typeof v === 'bigint'
        ? Number(v)
        : Array.isArray(v)
          ? v.map(lossy)
          : v !== null && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lossy(x)]))
            : v;
    fc.assert(
      fc.property(fc.json(), (text) => {
        // The 17-digit neighbour forces the exact parser even when `text` alone would take the fast path.
        const both = parseQmpJson(`[${text}, 12345678901234567]`) as QmpValue[];
        expect(lossy(both[0]!)).toEqual(JSON.parse(text));
        expect(lossy(parseQmpJson(text))).toEqual(JSON.parse(text));
      }),
    );
  });
});

describe('stringifyQmpJson', () => {
  it('writes a bigint as digits and a huge double with its exponent, so neither changes type', () => {
    expect(stringifyQmpJson({ value: 18446744073709551615n, d: 1.2e20, n: 5 })).toBe('{"value":18446744073709551615,"d":1.2e+20,"n":5}');
    expect(parseQmpJson(stringifyQmpJson([1e20]))).toEqual([1e20]);
  });
});

describe('qmpBigInt', () => {
  it('reads either number form as bigint', () => {
    expect(qmpBigInt(5)).toBe(5n);
    expect(qmpBigInt(18446744073709551615n)).toBe(18446744073709551615n);
    expect(qmpBigInt(1.5)).toBeUndefined();
    expect(qmpBigInt('5')).toBeUndefined();
  });
});
