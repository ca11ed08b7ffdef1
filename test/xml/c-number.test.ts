import { describe, expect, it } from 'vitest';
import { strToLongLong, strToUInt, strToULongLong } from '../../src/xml/c-number.js';
import { parseUnsignedDecimal } from '../../src/xml/units.js';

// Expectations measured on libvirt 9.0 through its parser (test/differential/xml-tunables.test.ts runs them there).
describe("libvirt's whole-string integer readers", () => {
  it('virStrToLong_ull wraps a minus sign modulo 2^64; the p variant refuses it', () => {
    expect(strToULongLong('-1', false)).toBe(2n ** 64n - 1n);
    expect(strToULongLong('-18446744073709551615', false)).toBe(1n);
    expect(strToULongLong('-0', false)).toBe(0n);
    expect(strToULongLong('-18446744073709551616', false)).toBeUndefined();
    expect(strToULongLong('-1', true)).toBeUndefined();
    expect(strToULongLong('-0', true)).toBeUndefined();
    expect(strToULongLong('18446744073709551615', true)).toBe(2n ** 64n - 1n);
    expect(strToULongLong('18446744073709551616', true)).toBeUndefined();
  });

  it('virStrToLong_ui lets -N through up to UINT_MAX as 2^32-N; the p variant refuses it', () => {
    expect(strToUInt('-1', false)).toBe(4294967295n);
    expect(strToUInt('-4294967295', false)).toBe(1n);
    expect(strToUInt('-4294967296', false)).toBeUndefined();
    expect(strToUInt('4294967295', true)).toBe(4294967295n);
    expect(strToUInt('4294967296', false)).toBeUndefined();
    expect(strToUInt('-1', true)).toBeUndefined();
  });

  it('virStrToLong_ll covers LLONG_MIN..LLONG_MAX', () => {
    expect(strToLongLong('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(strToLongLong('-9223372036854775809')).toBeUndefined();
    expect(strToLongLong('9223372036854775807')).toBe(2n ** 63n - 1n);
    expect(strToLongLong('9223372036854775808')).toBeUndefined();
    expect(strToLongLong('-0')).toBe(0n);
  });

  it("reads C's grammar: leading C-locale white space, one sign, decimal digits, nothing after", () => {
    for (const ok of [' 5', '\t\n\v\f\r5', '+5', '05', '005']) expect(strToLongLong(ok)).toBe(5n);
    for (const bad of ['', ' ', '5 ', '0x10', '1.5', '1e3', '+-5', '--5', '5x', '\u00a05', '\u20035']) {
      expect(strToLongLong(bad)).toBeUndefined();
      expect(strToULongLong(bad, false)).toBeUndefined();
      expect(strToUInt(bad, false)).toBeUndefined();
    }
  });

  it('parseUnsignedDecimal is virStrToLong_ullp', () => {
    for (const t of ['7', ' +7', '-7', '18446744073709551616', '7 ', '']) expect(parseUnsignedDecimal(t)).toBe(strToULongLong(t, true));
  });
});
