import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { UNLIMITED } from './params.js';
import { parseMemtuneSize } from './scaled.js';

/**
 * An amount of memory as callers may write it: a `bigint` or a safe-integer `number` of KiB, or a string
 * {@link parseSize} reads (`'2G'`, `'512M'`, `'1025b'`, `'unlimited'`).
 */
export type MemorySize = bigint | number | string;

/**
 * Reads a size the way virsh's `memtune` reads `--hard-limit` and its siblings, in KiB: a decimal integer with an
 * optional unit suffix (b/byte/bytes; k/KiB = 1024, KB = 1000, ... up to e/EiB/EB; case-insensitive), no suffix
 * meaning KiB, bytes rounded up to whole KiB, at most 2^63-1 bytes; any negative value means unlimited, as in
 * virsh. `'unlimited'` (any case) is {@link UNLIMITED} too — virtune's addition. Decimals are refused, as virsh
 * refuses them.
 *
 * @example
 * ```ts
 * parseSize('2G');        // 2097152n
 * parseSize('1025b');     // 2n (rounded up)
 * parseSize('unlimited'); // UNLIMITED
 * ```
 * @throws VirError with libvirt's error when it has one: INVALID_ARG `unknown suffix '.5G'` for `'1.5G'`,
 *   OVERFLOW `value too large: 9E`; otherwise INVALID_ARG `malformed size 'abc'` (virsh's "Unable to parse").
 */
export function parseSize(text: string): bigint {
  if (typeof text !== 'string') {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `size must be a string, not ${typeof text}`);
  }
  if (text.trim().toLowerCase() === 'unlimited') return UNLIMITED;
  const r = parseMemtuneSize(text);
  if (r.ok) return r.value;
  throw r.cause ?? new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `malformed size '${text}'`);
}
