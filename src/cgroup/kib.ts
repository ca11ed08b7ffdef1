import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { UNLIMITED } from '../memory/params.js';
import { parseCgroupInteger } from './integer-text.js';

/**
 * Bytes for a KiB value below UNLIMITED, as decimal text. Anything else (negative, UNLIMITED or more) is refused
 * before a file is touched: the kernel would take 2^64 and wrap it to a limit of 0.
 */
export function kibToBytesText(kib: bigint): string {
  if (kib < 0n || kib >= UNLIMITED) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.CGROUP, `Memory '${kib}' must be less than '${UNLIMITED}'`);
  }
  return String(kib * 1024n);
}

// The kernel's "no limit" is PAGE_COUNTER_MAX pages: 2^63 rounded down to a page (9223372036854771712 with
// 4 KiB pages). Anything from 2^63 - 64 KiB up is that value on any page size.
const UNLIMITED_BYTES_FLOOR = 2n ** 63n - 65536n;

/** KiB for a byte count read from a cgroup file (rounded down, as libvirt does); the kernel's maximum is UNLIMITED. */
export function bytesTextToKiB(text: string, path: string): bigint {
  const bytes = parseCgroupInteger(text, path);
  if (bytes >= UNLIMITED_BYTES_FLOOR) return UNLIMITED;
  return bytes >> 10n;
}
