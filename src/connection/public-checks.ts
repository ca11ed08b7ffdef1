import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { parseUUID } from '../xml/uuid.js';

/**
 * The argument checks libvirt's public functions make before any driver sees the call (libvirt-domain.c), with
 * its words. Every driver gets them for free because the {@link Domain} handle makes them.
 */

/** virCheckNonZeroArg plus the overflow check of virDomainSetMemory*: a KiB amount a domain can have. */
export function checkMemoryAmount(kib: number, fn: string): void {
  if (typeof kib !== 'number' || !Number.isSafeInteger(kib) || kib < 0) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `memory in ${fn} must be a non-negative integer`, {
      verbatim: true,
    });
  }
  if (kib === 0) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `memory in ${fn} must not be zero`, { verbatim: true });
  }
  // libvirt: virMemoryMaxValue(true) / 1024 <= memory, i.e. LLONG_MAX >> 10 on 64-bit hosts.
  if (kib >= Number.MAX_SAFE_INTEGER) {
    throw new VirError(ErrorCode.OVERFLOW, ErrorDomain.DOMAIN, `input too large: ${kib}`);
  }
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
