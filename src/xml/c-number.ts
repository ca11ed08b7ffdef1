/**
 * libvirt's readers of whole-string decimal integers (virStrToLong_* without an end pointer), as its XML parser
 * applies them: C's strtol family (leading C-locale white space, an optional sign, digits; nothing after them),
 * with libvirt's own treatment of a minus sign. Each returns undefined where libvirt's function fails.
 */

const ULLONG_MAX = (1n << 64n) - 1n;
const LLONG_MAX = (1n << 63n) - 1n;
const UINT_MAX = 0xffffffffn;

const NUMBER = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/;

function scan(text: string): { negative: boolean; magnitude: bigint } | undefined {
  const m = NUMBER.exec(text);
  return m ? { negative: m[1] === '-', magnitude: BigInt(m[2]!) } : undefined;
}

/**
 * virStrToLong_ull (`positive` false) or virStrToLong_ullp (`positive` true). strtoull reads `-N` as 2^64-N
 * (`-1` is ULLONG_MAX), which the `p` variant refuses.
 */
export function strToULongLong(text: string, positive: boolean): bigint | undefined {
  const s = scan(text);
  if (!s || s.magnitude > ULLONG_MAX || (s.negative && positive)) return undefined;
  return s.negative ? (ULLONG_MAX + 1n - s.magnitude) & ULLONG_MAX : s.magnitude;
}

/**
 * virStrToLong_ui (`positive` false) or virStrToLong_uip (`positive` true), into an unsigned int. libvirt lets
 * `-N` through for N up to UINT_MAX as 2^32-N (`-1` is UINT_MAX); the `p` variant refuses any minus sign.
 */
export function strToUInt(text: string, positive: boolean): bigint | undefined {
  const s = scan(text);
  if (!s || s.magnitude > UINT_MAX || (s.negative && positive)) return undefined;
  return s.negative ? (UINT_MAX + 1n - s.magnitude) & UINT_MAX : s.magnitude;
}

/** virStrToLong_ll: a signed long long, LLONG_MIN to LLONG_MAX. */
export function strToLongLong(text: string): bigint | undefined {
  const s = scan(text);
  if (!s) return undefined;
  const v = s.negative ? -s.magnitude : s.magnitude;
  return v > LLONG_MAX || v < -LLONG_MAX - 1n ? undefined : v;
}
