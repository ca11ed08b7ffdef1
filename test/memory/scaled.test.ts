import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToKiBRoundUp, parseMemtuneSize, parseScaledInteger, scaleInteger } from '../../src/memory/scaled.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { VirError } from '../../src/errors.js';

const kib = (text: string) => {
  const r = parseMemtuneSize(text);
  return r.ok ? r.value : r.cause ? `error: ${r.cause.message}` : 'error';
};

describe('parseMemtuneSize (virsh memtune sizes)', () => {
  it('defaults to KiB and rounds bytes up to whole KiB', () => {
    expect(kib('5')).toBe(5n);
    expect(kib('1k')).toBe(1n);
    expect(kib('1025b')).toBe(2n);
    expect(kib('1023B')).toBe(1n);
    expect(kib('1G')).toBe(1048576n);
    expect(kib('1GiB')).toBe(1048576n);
    expect(kib('1GB')).toBe(976563n);
    expect(kib('0')).toBe(0n);
    expect(kib('1bytes')).toBe(1n);
    expect(kib('2049BYTE')).toBe(3n);
  });

  it('reads any negative value as unlimited, whatever follows it', () => {
    expect(kib('-1')).toBe(UNLIMITED);
    expect(kib('-5foo')).toBe(UNLIMITED);
  });

  it('accepts what strtoll accepts: leading blanks and a plus sign', () => {
    expect(kib(' 5')).toBe(5n);
    expect(kib('+7')).toBe(7n);
  });

  it('fails without a reason where strtoll fails', () => {
    expect(kib('')).toBe('error');
    expect(kib('abc')).toBe('error');
    expect(kib('99999999999999999999')).toBe('error');
    expect(kib('18446744073709551615')).toBe('error');
  });

  it("gives libvirt's reason for bad suffixes and overflow", () => {
    expect(kib('1x')).toBe("error: invalid argument: unknown suffix 'x'");
    expect(kib('1bite')).toBe("error: invalid argument: unknown suffix 'bite'");
    expect(kib('1kbytes')).toBe("error: invalid argument: unknown suffix 'kbytes'");
    expect(kib('9E')).toBe('error: numerical overflow: value too large: 9E');
    expect(kib('8E')).toBe('error: numerical overflow: value too large: 8E');
    expect(kib('9007199254740992')).toBe('error: numerical overflow: value too large: 9007199254740992');
    expect(kib('+7x')).toBe("error: invalid argument: unknown suffix 'x'");
  });

  it('takes 2^53-1 KiB, the largest that fits in 2^63-1 bytes', () => {
    expect(kib('9007199254740991')).toBe(UNLIMITED);
  });
});

describe('parseScaledInteger (vshCommandOptScaledInt)', () => {
  it('rejects any minus sign and overflow past 2^64-1 bytes', () => {
    expect(parseScaledInteger('-1').ok).toBe(false);
    expect(parseScaledInteger('18446744073709551616').ok).toBe(false);
    const r = parseScaledInteger('16E');
    expect(r.ok === false && r.cause?.message).toBe('numerical overflow: value too large: 16E');
    expect(parseScaledInteger('15E')).toEqual({ ok: true, value: 15n * 2n ** 60n });
  });
});

describe('bytesToKiBRoundUp', () => {
  it('rounds up, and wraps near 2^64 as virsh\'s unsigned arithmetic does', () => {
    expect(bytesToKiBRoundUp(1n)).toBe(1n);
    expect(bytesToKiBRoundUp(1024n)).toBe(1n);
    expect(bytesToKiBRoundUp(1025n)).toBe(2n);
    expect(bytesToKiBRoundUp(2n ** 64n - 1n)).toBe(0n);
    expect(bytesToKiBRoundUp(2n ** 64n - 1024n)).toBe(2n ** 54n - 1n);
  });
});

describe('scaleInteger', () => {
  it('multiplies by the unit and never exceeds the limit', () => {
    const units = ['', 'b', 'k', 'KiB', 'KB', 'm', 'MiB', 'mb', 'g', 'GiB', 'GB', 't', 'p', 'e', 'EiB', 'EB'];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(...units), (v, unit) => {
        const limit = 2n ** 63n - 1n;
        try {
          const r = scaleInteger(v, unit, 1024n, limit);
          expect(r).toBeLessThanOrEqual(limit);
          expect(r >= v).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(VirError);
          expect((e as VirError).message).toBe(`numerical overflow: value too large: ${v}${unit}`);
        }
      }),
    );
  });
});
