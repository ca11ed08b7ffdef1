import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { MEMORY_PARAM_UNLIMITED } from '../memory/params.js';

/**
 * Bytes for a KiB value below UNLIMITED, as decimal text. Anything else (negative, fractional, UNLIMITED or
 * more) is refused before a file is touched: the kernel would take 2^64 and wrap it to a limit of 0.
 */
export function kibToBytesText(kib: number): string {
  if (!Number.isSafeInteger(kib) || kib < 0 || kib >= MEMORY_PARAM_UNLIMITED) {
    throw new VirError(
      ErrorCode.INVALID_ARG,
      ErrorDomain.CGROUP,
      `Memory '${String(kib)}' must be less than '${MEMORY_PARAM_UNLIMITED}'`,
    );
  }
  // Below 2^43 KiB the byte count is a safe integer: plain arithmetic, no BigInt (this runs on every change).
  return kib < 2 ** 43 ? String(kib * 1024) : (BigInt(kib) * 1024n).toString();
}

// The kernel's "no limit" is PAGE_COUNTER_MAX pages: 2^63 rounded down to a page (9223372036854771712 with
// 4 KiB pages). Anything from 2^63 - 64 KiB up is that value on any page size.
const UNLIMITED_BYTES_FLOOR = 2n ** 63n - 65536n;

/** KiB for a byte count read from a cgroup file (rounded down, as libvirt does); the kernel's maximum is UNLIMITED. */
export function bytesTextToKiB(text: string, path: string): number {
  if (!/^\d+$/.test(text)) {
    throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.CGROUP, `Unable to parse '${text}' as an integer in '${path}'`);
  }
  const bytes = BigInt(text);
  if (bytes >= UNLIMITED_BYTES_FLOOR) return MEMORY_PARAM_UNLIMITED;
  return Number(bytes >> 10n);
}
