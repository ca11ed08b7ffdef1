import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { parseUUID } from '../xml/uuid.js';

/**
 * The argument checks libvirt's public functions make before any driver sees the call (libvirt-domain.c), with
 * its words. Every driver gets them for free because the {@link Domain} handle makes them.
 */

/**
 * libvirt's bound on a KiB amount (virDomainSetMemoryFlags: `virMemoryMaxValue(true) / 1024 <= memory` is an
 * overflow): LLONG_MAX / 1024 on 64-bit hosts, which is 2^53 - 1.
 */
const MEMORY_LIMIT_KIB = ((1n << 63n) - 1n) / 1024n;

/**
 * virCheckNonZeroArg plus the overflow check of virDomainSetMemory*: a KiB amount a domain can have.
 * libvirt's argument is an `unsigned long`, so any integer is accepted here, as a number or a bigint, and one of
 * 2^53 - 1 or more is libvirt's `input too large: N` with N exact (a bigint keeps it exact above 2^53).
 *
 * @returns the amount as a bigint, as drivers take every memory amount.
 */
export function checkMemoryAmount(kib: number | bigint, fn: string): bigint {
  const n = typeof kib === 'bigint' ? kib : typeof kib === 'number' && Number.isInteger(kib) ? BigInt(kib) : undefined;
  if (n === undefined || n < 0n) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `memory in ${fn} must be a non-negative integer`, {
      verbatim: true,
    });
  }
  if (n === 0n) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `memory in ${fn} must not be zero`, { verbatim: true });
  }
  if (n >= MEMORY_LIMIT_KIB) {
    throw new VirError(ErrorCode.OVERFLOW, ErrorDomain.DOMAIN, `input too large: ${n}`);
  }
  return n;
}

/** virDomainLookupByUUIDString's check: a UUID libvirt can parse (32 hex digits, dashes allowed). */
export function checkUUIDString(uuid: string): void {
  try {
    if (typeof uuid !== 'string') throw new TypeError('not a string');
    parseUUID(uuid);
  } catch {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, 'Invalid UUID', { verbatim: true });
  }
}

/** virDomainLookupByID's virCheckNonNegativeArg, with libvirt's words. */
export function checkDomainID(id: number): void {
  const fn = 'virDomainLookupByID';
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `id in ${fn} must be an integer`, { verbatim: true });
  }
  if (id < 0) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `id in ${fn} must be zero or greater`, { verbatim: true });
  }
}

export { checkAffectExclusive } from '../drivers/common/affect.js';

/**
 * virDomainSetMemoryStatsPeriod's check (virCheckNonNegativeArgGoto): a period is an int, zero or greater.
 * libvirt's argument is a C int, so a non-integer or one beyond INT_MAX is refused here too.
 */
export function checkStatsPeriod(period: number, fn: string): void {
  if (!Number.isInteger(period) || period < 0 || period > 2 ** 31 - 1) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `period in ${fn} must be zero or greater`, { verbatim: true });
  }
}
