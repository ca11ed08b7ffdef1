import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { TypedParameterType, type TypedParameter } from './types.js';

const U64 = 2n ** 64n;
const U32_MAX = 2n ** 32n - 1n;

/** C's strto* over a whole string, base 10: C-locale blanks, an optional sign, digits, nothing after. */
function wholeDecimal(text: string): { negative: boolean; magnitude: bigint } | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(text);
  return m ? { negative: m[1] === '-', magnitude: BigInt(m[2]!) } : undefined;
}

/** libvirt's virStrToLong_i / virStrToLong_ll without an end pointer: signed, in [lo, hi]. */
function signed(text: string, lo: bigint, hi: bigint): bigint | undefined {
  const d = wholeDecimal(text);
  if (!d) return undefined;
  const v = d.negative ? -d.magnitude : d.magnitude;
  return v >= lo && v <= hi ? v : undefined;
}

/**
 * libvirt's virStrToLong_ull without an end pointer: C's strtoull, so `-N` wraps to 2^64 - N (libvirt keeps that:
 * `-1` is ULLONG_MAX); a magnitude above 2^64 - 1 is ERANGE.
 */
function unsignedLongLong(text: string): bigint | undefined {
  const d = wholeDecimal(text);
  if (!d || d.magnitude >= U64) return undefined;
  return d.negative ? (U64 - d.magnitude) % U64 : d.magnitude;
}

/**
 * libvirt's virStrToLong_ui without an end pointer, on a 64-bit host: `-N` is accepted for N ≤ UINT_MAX and
 * means 2^32 - N (so `-1` is UINT_MAX); anything above UINT_MAX is refused.
 */
function unsignedInt(text: string): bigint | undefined {
  const d = wholeDecimal(text);
  if (!d || d.magnitude >= U64) return undefined;
  if (d.negative) return d.magnitude > U32_MAX ? undefined : (2n ** 32n - d.magnitude) % 2n ** 32n;
  return d.magnitude <= U32_MAX ? d.magnitude : undefined;
}

/** C's strtod over a whole string (decimal and exponent, inf, nan); what virStrToDouble accepts. */
function double(text: string): number | undefined {
  const t = text.replace(/^[ \t\n\v\f\r]+/, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (!special) return undefined;
  const v = special[2]!.toLowerCase() === 'nan' ? NaN : Infinity;
  return special[1] === '-' ? -v : v;
}

const EXPECTED: Readonly<Record<number, string>> = {
  [TypedParameterType.INT]: 'int',
  [TypedParameterType.UINT]: 'unsigned int',
  [TypedParameterType.LLONG]: 'long long',
  [TypedParameterType.ULLONG]: 'unsigned long long',
  [TypedParameterType.DOUBLE]: 'double',
};

/**
 * libvirt's virTypedParamsAddFromString (virTypedParameterAssignFromStr): the text a user typed, read as a value
 * of `type` — what virsh does with `schedinfo --set name=value` once the driver has said the parameter's type.
 *
 * @throws VirError INVALID_ARG, error domain NONE: `Invalid value for field 'weight': expected unsigned int`, or
 *   `Invalid boolean value for field 'x'`.
 */
export function typedParamFromString(field: string, type: TypedParameterType, text: string): TypedParameter {
  const bad = (): VirError =>
    type === TypedParameterType.BOOLEAN
      ? new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `Invalid boolean value for field '${field}'`)
      : new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `Invalid value for field '${field}': expected ${EXPECTED[type]}`);
  switch (type) {
    case TypedParameterType.INT:
    case TypedParameterType.UINT: {
      const v = type === TypedParameterType.INT ? signed(text, -(2n ** 31n), 2n ** 31n - 1n) : unsignedInt(text);
      if (v === undefined) throw bad();
      return { field, type, value: Number(v) };
    }
    case TypedParameterType.LLONG:
    case TypedParameterType.ULLONG: {
      const v = type === TypedParameterType.LLONG ? signed(text, -(2n ** 63n), 2n ** 63n - 1n) : unsignedLongLong(text);
      if (v === undefined) throw bad();
      return { field, type, value: v };
    }
    case TypedParameterType.DOUBLE: {
      const v = double(text);
      if (v === undefined) throw bad();
      return { field, type, value: v };
    }
    case TypedParameterType.BOOLEAN: {
      const lower = text.toLowerCase();
      if (lower === 'true' || text === '1') return { field, type, value: true };
      if (lower === 'false' || text === '0') return { field, type, value: false };
      throw bad();
    }
    case TypedParameterType.STRING:
      return { field, type, value: text };
    default:
      throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `unexpected type ${String(type)} for field ${field}`);
  }
}
