import { describe, expect, it } from 'vitest';
import { ErrorCode, UNLIMITED, parseSize } from '../../src/index.js';
import { virErrorOf } from '../helpers/vir-error.js';

describe('parseSize', () => {
  it("reads virsh's scaled integers in KiB, rounding bytes up", () => {
    expect(parseSize('2G')).toBe(2097152n);
    expect(parseSize('512M')).toBe(524288n);
    expect(parseSize('1024')).toBe(1024n);
    expect(parseSize('1025b')).toBe(2n);
    expect(parseSize('1KB')).toBe(1n);
    expect(parseSize('1MB')).toBe(977n);
  });

  it("takes 'unlimited' and, as virsh, any negative value for UNLIMITED", () => {
    expect(parseSize('unlimited')).toBe(UNLIMITED);
    expect(parseSize('Unlimited')).toBe(UNLIMITED);
    expect(parseSize('-1')).toBe(UNLIMITED);
  });

  it("refuses what virsh refuses, with libvirt's errors", () => {
    expect(virErrorOf(() => parseSize('1.5G'))).toMatchObject({ code: ErrorCode.INVALID_ARG, message: "invalid argument: unknown suffix '.5G'" });
    expect(virErrorOf(() => parseSize('9E'))).toMatchObject({ code: ErrorCode.OVERFLOW, message: 'numerical overflow: value too large: 9E' });
    expect(virErrorOf(() => parseSize('abc'))).toMatchObject({ code: ErrorCode.INVALID_ARG, message: "invalid argument: malformed size 'abc'" });
    expect(virErrorOf(() => parseSize(42 as unknown as string)).code).toBe(ErrorCode.INVALID_ARG);
  });
});
