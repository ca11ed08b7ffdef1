import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../flags.js';

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

/**
 * virDomainGetMemoryParameters (and libvirt's other getters) refuse LIVE and CONFIG together before the driver is
 * called, with the words of libvirt's VIR_EXCLUSIVE_FLAGS check.
 */
export function checkAffectExclusive(flags: number): void {
  if ((flags & DOMAIN_AFFECT_LIVE) !== 0 && (flags & DOMAIN_AFFECT_CONFIG) !== 0) {
    throw new VirError(
      ErrorCode.INVALID_ARG,
      ErrorDomain.DOMAIN,
      "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive",
      { verbatim: true },
    );
  }
}
