import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { UNLIMITED } from '../../src/memory/params.js';
import {
  UNIT_PATTERN,
  UNLIMITED_BYTES,
  bytesToKiB,
  parseMemoryKiB,
  parseScaledInteger,
  parseUnsignedDecimal,
  unitScale,
} from '../../src/xml/units.js';
import { virErrorOf } from '../helpers/vir-error.js';


describe('unitScale', () => {
  it.each([
    ['b', 1n], ['B', 1n], ['byte', 1n], ['Bytes', 1n], ['BYTES', 1n],
    ['k', 1024n], ['KiB', 1024n], ['kib', 1024n], ['KB', 1000n], ['kb', 1000n],
    ['M', 1024n ** 2n], ['MiB', 1024n ** 2n], ['MB', 1000n ** 2n],
    ['g', 1024n ** 3n], ['GB', 1000n ** 3n], ['T', 1024n ** 4n], ['TB', 1000n ** 4n],
    ['p', 1024n ** 5n], ['PB', 1000n ** 5n], ['E', 1024n ** 6n], ['eib', 1024n ** 6n], ['EB', 1000n ** 6n],
  ])('%s is %s', (unit, scale) => {
    expect(unitScale(unit)).toBe(scale);
    expect(UNIT_PATTERN.test(unit)).toBe(true);
  });

  it('uses the default scale for an absent or empty unit', () => {
    expect(unitScale(undefined, 1024n)).toBe(1024n);
    expect(unitScale('', 1024n)).toBe(1024n);
  });

  it.each(['furlongs', 'ki', 'bite', 'kibb', 'x', 'KiBB', ' k'])("rejects '%s' as libvirt does", (unit) => {
    const e = virErrorOf(() => unitScale(unit));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.domain).toBe(ErrorDomain.NONE);
    expect(e.message).toBe(`invalid argument: unknown suffix '${unit}'`);
    expect(UNIT_PATTERN.test(unit)).toBe(false);
  });

  it('accepts exactly what the schema pattern accepts', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[bBkKmMgGtTpPeEiIyYsSxX]{0,5}$/), (unit) => {
        let ok = true;
        try {
          unitScale(unit);
        } catch {
          ok = false;
        }
        expect(ok).toBe(unit === '' || UNIT_PATTERN.test(unit));
      }),
    );
  });
});

describe('parseUnsignedDecimal (virStrToLong_ullp)', () => {
  it.each([
    ['0', 0n], ['010', 10n], ['+5', 5n], [' 7', 7n], ['\n\t 7', 7n], ['18446744073709551615', 18446744073709551615n],
  ])('%j is %s', (text, v) => expect(parseUnsignedDecimal(text)).toBe(v));

  it.each(['', ' ', '-5', '-0', '5 ', '1.5', '0x10', 'abc', '18446744073709551616', '+-1', '1e3'])(
    'rejects %j',
    (text) => expect(parseUnsignedDecimal(text)).toBeUndefined(),
  );
});

describe('parseScaledInteger', () => {
  const where = './memtune/hard_limit[1]';

  it('reports a minus sign with libvirt\'s XML error', () => {
    const e = virErrorOf(() => parseScaledInteger('-5', 'KiB', 1024n, UNLIMITED_BYTES, where));
    expect(e.code).toBe(ErrorCode.XML_ERROR);
    expect(e.domain).toBe(ErrorDomain.XML);
    expect(e.message).toBe("XML error: Invalid value '-5' for element or attribute './memtune/hard_limit[1]'");
  });

  it('reports overflow with the value and unit as written', () => {
    const e = virErrorOf(() => parseScaledInteger('9', 'EiB', 1024n, UNLIMITED_BYTES, where));
    expect(e.code).toBe(ErrorCode.OVERFLOW);
    expect(e.message).toBe('numerical overflow: value too large: 9EiB');
    expect(virErrorOf(() => parseScaledInteger('9007199254740992', undefined, 1024n, UNLIMITED_BYTES, where)).message).toBe(
      'numerical overflow: value too large: 9007199254740992',
    );
  });

  it('accepts exactly up to the limit', () => {
    expect(parseScaledInteger('9007199254740991', undefined, 1024n, UNLIMITED_BYTES, where)).toBe(UNLIMITED_BYTES);
    expect(parseScaledInteger('9223372036854774784', 'b', 1024n, UNLIMITED_BYTES, where)).toBe(UNLIMITED_BYTES);
    expect(() => parseScaledInteger('9223372036854774785', 'b', 1024n, UNLIMITED_BYTES, where)).toThrow(
      'value too large: 9223372036854774785b',
    );
    expect(parseScaledInteger('9', 'EB', 1024n, UNLIMITED_BYTES, where)).toBe(9n * 10n ** 18n);
    expect(() => parseScaledInteger('10', 'EB', 1024n, UNLIMITED_BYTES, where)).toThrow('value too large: 10EB');
  });

  it('rounds bytes up to whole KiB and nothing else', () => {
    expect(parseMemoryKiB('1023', 'B', UNLIMITED_BYTES, where)).toBe(1n);
    expect(parseMemoryKiB('1025', 'bytes', UNLIMITED_BYTES, where)).toBe(2n);
    expect(parseMemoryKiB('1', 'MB', UNLIMITED_BYTES, where)).toBe(977n);
    expect(parseMemoryKiB('2000', 'KB', UNLIMITED_BYTES, where)).toBe(1954n);
    expect(parseMemoryKiB('1', 'G', UNLIMITED_BYTES, where)).toBe(1048576n);
    expect(parseMemoryKiB('0', 'TiB', UNLIMITED_BYTES, where)).toBe(0n);
  });

  it('unit algebra: n units are ceil(n * scale / 1024) KiB, or overflow', () => {
    const units = ['b', 'k', 'KB', 'M', 'MB', 'G', 'GB', 'T', 'TB', 'P', 'PB', 'E', 'EB'];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 64n }), fc.constantFrom(...units), (n, unit) => {
        const scale = unitScale(unit);
        const bytes = n * scale;
        let got: bigint | VirError;
        try {
          got = parseMemoryKiB(n.toString(), unit, UNLIMITED_BYTES, where);
        } catch (e) {
          got = e as VirError;
        }
        if (n >= 1n << 64n) {
          expect((got as VirError).code).toBe(ErrorCode.XML_ERROR);
        } else if (n > UNLIMITED_BYTES / scale) {
          expect((got as VirError).code).toBe(ErrorCode.OVERFLOW);
        } else {
          expect(got).toBe((bytes + 1023n) / 1024n);
          expect(got as bigint).toBeLessThanOrEqual(UNLIMITED);
        }
      }),
    );
  });

  it('KiB values convert exactly (no silent rounding)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: UNLIMITED }), (kib) => {
        expect(parseMemoryKiB(String(kib), 'KiB', UNLIMITED_BYTES, where)).toBe(kib);
        expect(bytesToKiB(kib * 1024n)).toBe(kib);
      }),
    );
  });
});
