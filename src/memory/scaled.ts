/**
 * virsh's numbers: C's strtoll/strtoull as libvirt wraps them, libvirt's virScaleInteger for unit suffixes, and
 * the two ways virsh applies them (memtune's sizes, and every other scaled option such as setmem's size).
 * All arithmetic is in bigint: the limits are 2^63-1 and 2^64-1.
 */
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { UNLIMITED } from './params.js';

/** C's LLONG_MAX: the most bytes a memtune size may scale to. */
export const LLONG_MAX = 2n ** 63n - 1n;
const LLONG_MIN = -(2n ** 63n);
/** C's ULLONG_MAX: the most bytes any other scaled option may scale to. */
export const ULLONG_MAX = 2n ** 64n - 1n;

/** A number C's strto* read, and where it stopped. */
interface Scanned {
  value: bigint;
  /** The text after the digits: the unit suffix. */
  rest: string;
  negative: boolean;
}

/** strtoll/strtoull's grammar: C-locale blanks, an optional sign, decimal digits. Undefined when no digit. */
function scan(text: string): Scanned | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(text);
  if (!m) return undefined;
  const magnitude = BigInt(m[2]!);
  return { value: m[1] === '-' ? -magnitude : magnitude, rest: text.slice(m[0].length), negative: m[1] === '-' };
}

/** libvirt's virStrToLong_ll with an end pointer: undefined on no digits or overflow (ERANGE). */
export function strToLongLong(text: string): { value: bigint; rest: string } | undefined {
  const s = scan(text);
  if (!s || s.value > LLONG_MAX || s.value < LLONG_MIN) return undefined;
  return { value: s.value, rest: s.rest };
}

/**
 * libvirt's virStrToLong_ullp with an end pointer: like strtoull, but any minus sign is an error (strtoull would
 * wrap it). Undefined on no digits, a minus, or overflow.
 */
export function strToULongLongPositive(text: string): { value: bigint; rest: string } | undefined {
  const s = scan(text);
  if (!s || s.negative || s.value > ULLONG_MAX) return undefined;
  return { value: s.value, rest: s.rest };
}

/**
 * libvirt's virScaleInteger: multiplies `value` by the unit in `suffix` (b/byte/bytes, k/KiB = 1024, KB = 1000, ...
 * e/EiB/EB, case-insensitive; none = `scale`) and checks the product against `limit`.
 * Throws libvirt's errors: `invalid argument: unknown suffix 'x'`, `numerical overflow: value too large: 9E`.
 */
export function scaleInteger(value: bigint, suffix: string, scale: bigint, limit: bigint): bigint {
  let factor = scale;
  const lower = suffix.toLowerCase();
  if (lower === 'byte' || lower === 'bytes') {
    factor = 1n;
  } else if (suffix !== '') {
    let base: bigint;
    if (suffix.length === 1 || suffix.slice(1).toLowerCase() === 'ib') base = 1024n;
    else if (suffix.length === 2 && suffix[1]!.toLowerCase() === 'b') base = 1000n;
    else throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `unknown suffix '${suffix}'`);
    const power = 'bkmgtpe'.indexOf(suffix[0]!.toLowerCase());
    if (power < 0) throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `unknown suffix '${suffix}'`);
    factor = base ** BigInt(power);
  }
  if (value !== 0n && value > limit / factor) {
    throw new VirError(ErrorCode.OVERFLOW, ErrorDomain.NONE, `value too large: ${value}${suffix}`);
  }
  return value * factor;
}

/** The outcome of parsing one option: a value, or a failure with libvirt's reason when libvirt has one. */
export type ScaledResult = { ok: true; value: bigint } | { ok: false; cause?: VirError };

function attempt(fn: () => bigint): ScaledResult {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof VirError) return { ok: false, cause: e };
    throw e;
  }
}

/**
 * memtune's size (virshMemtuneGetSize): a signed 64-bit integer; any negative value means unlimited (whatever
 * follows it); otherwise a scaled integer, default KiB, at most 2^63-1 bytes, rounded up to whole KiB.
 * The result is in KiB.
 */
export function parseMemtuneSize(text: string): ScaledResult {
  if (text === '') return { ok: false };
  const n = strToLongLong(text);
  if (n === undefined) return { ok: false };
  if (n.value < 0n) return { ok: true, value: UNLIMITED };
  return attempt(() => {
    const bytes = scaleInteger(n.value, n.rest, 1024n, LLONG_MAX);
    return (bytes + 1023n) / 1024n;
  });
}

/**
 * virsh's vshCommandOptScaledInt: a non-negative scaled integer (in units of `scale` when no suffix is given)
 * of at most `max`. The result is in bytes.
 */
export function parseScaledInteger(text: string, scale = 1024n, max = ULLONG_MAX): ScaledResult {
  const n = strToULongLongPositive(text);
  if (n === undefined) return { ok: false };
  return attempt(() => scaleInteger(n.value, n.rest, scale, max));
}

/**
 * Bytes to KiB, rounded up, exactly as virsh's VIR_DIV_UP(bytes, 1024) on an unsigned 64-bit value: within 1023
 * of 2^64 the sum wraps and the result is (nearly) zero, which the library then refuses as zero.
 */
export function bytesToKiBRoundUp(bytes: bigint): bigint {
  return ((bytes + 1023n) & ULLONG_MAX) / 1024n;
}
