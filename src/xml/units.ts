import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { describeValue } from '../error-guard.js';
import { UNLIMITED } from '../memory/params.js';
import { strToULongLong } from './c-number.js';

/** The unit attribute pattern libvirt's schema allows (case-insensitive b/bytes and k..e with optional i/b). */
export const UNIT_PATTERN = /^(?:[bB](?:[yY][tT][eE][sS]?)?|[kKmMgGtTpPeE](?:[iI]?[bB])?)$/;

/** LLONG_MAX: libvirt's byte cap for `<memory>` and `<min_guarantee>`. */
export const LLONG_MAX_BYTES = (1n << 63n) - 1n;
/** The byte cap of a memtune limit: UNLIMITED KiB in bytes. */
export const UNLIMITED_BYTES = UNLIMITED << 10n;

const POWERS = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 } as const;

/**
 * The multiplier a unit suffix stands for, libvirt's way: case-insensitive; `b`, `byte`, `bytes` are 1;
 * `k`/`KiB` 1024, `KB` 1000, and so on up to exa. An empty or absent unit means `defaultScale`.
 *
 * @throws VirError INVALID_ARG `unknown suffix 'X'` for anything else.
 */
export function unitScale(unit: string | undefined, defaultScale: bigint | number = 1n): bigint {
  if (unit === undefined || unit === '') return BigInt(defaultScale);
  if (typeof unit !== 'string') throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `unknown suffix '${describeValue(unit)}'`);
  const lower = unit.toLowerCase();
  if (lower === 'b' || lower === 'byte' || lower === 'bytes') return 1n;
  const power = POWERS[lower[0] as keyof typeof POWERS];
  if (power !== undefined) {
    const rest = lower.slice(1);
    if (rest === '' || rest === 'ib') return 1024n ** BigInt(power);
    if (rest === 'b') return 1000n ** BigInt(power);
  }
  throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `unknown suffix '${unit}'`);
}

/** `XML error: Invalid value 'V' for element or attribute 'WHERE'`, libvirt's answer to a number it cannot read. */
export function invalidValueError(value: string, where: string): VirError {
  return new VirError(
    ErrorCode.XML_ERROR,
    ErrorDomain.XML,
    `Invalid value '${describeValue(value)}' for element or attribute '${describeValue(where)}'`,
  );
}

/**
 * Reads a non-negative decimal integer the way libvirt's virStrToLong_ullp does: leading white space and a `+`
 * are accepted, a minus sign anywhere, trailing characters and values above 2^64-1 are not.
 *
 * @returns the value, or undefined when the text is not such a number.
 */
export function parseUnsignedDecimal(text: string): bigint | undefined {
  // Not `String(text)`: an array-like's slice or join would walk its length, which may be 2^32 - 1.
  if (typeof text !== 'string') return undefined;
  return strToULongLong(text, true);
}

/**
 * libvirt's scaled integer (virDomainParseScaledValue + virScaleInteger): reads `value` as a non-negative decimal,
 * multiplies it by `unit` (or `defaultScale` when the unit is absent or empty) and checks the product against `max`.
 * All quantities are in the unit `defaultScale` is expressed in (bytes for memory), as BigInt because byte
 * counts exceed 2^53.
 *
 * @param value the element's text.
 * @param unit the `unit` attribute, if any.
 * @param defaultScale the multiplier of a value without unit (1024 for libvirt's memory elements).
 * @param max the largest product allowed.
 * @param where the element's XPath for error messages (libvirt's `./memtune/hard_limit[1]` form).
 * @throws VirError XML_ERROR `Invalid value ...` for a malformed number (a minus sign included),
 *   INVALID_ARG `unknown suffix ...`, OVERFLOW `value too large: 9EiB` above `max`.
 */
export function parseScaledInteger(
  value: string,
  unit: string | undefined,
  defaultScale: bigint | number,
  max: bigint | number,
  where = 'value',
): bigint {
  const n = parseUnsignedDecimal(value);
  if (n === undefined) throw invalidValueError(value, where);
  const scale = unitScale(unit, defaultScale);
  if (n !== 0n && n > BigInt(max) / scale) {
    throw new VirError(ErrorCode.OVERFLOW, ErrorDomain.NONE, `value too large: ${n}${describeValue(unit ?? '')}`);
  }
  return n * scale;
}

/** Bytes to KiB, rounded up: the only rounding libvirt (and virtune) ever does to a size. */
export function bytesToKiB(bytes: bigint): bigint {
  return (bytes + 1023n) / 1024n;
}

/** Bytes to KiB after checking `bytes` fits in `max` bytes; the common case of a memory element. */
export function parseMemoryKiB(
  value: string,
  unit: string | undefined,
  maxBytes: bigint,
  where: string,
): bigint {
  return bytesToKiB(parseScaledInteger(value, unit, 1024n, maxBytes, where));
}

/**
 * Checks a KiB amount about to be written: an integer from 0 to UNLIMITED. Formatting never rounds or
 * clamps, so anything else is the caller's bug and is reported rather than printed.
 *
 * @throws VirError INVALID_ARG naming `what`.
 */
export function checkKiB(value: unknown, what: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > UNLIMITED) {
    throw new VirError(
      ErrorCode.INVALID_ARG,
      ErrorDomain.DOMAIN,
      `${describeValue(what)} must be a bigint from 0n to ${UNLIMITED}n KiB, not ${describeValue(value)}`,
    );
  }
  return value;
}
