import { FLAGS_RANGE_MESSAGE, isFlagsWord } from '../../error-flags-range.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../flags.js';

/** What flag resolution needs to know about a domain. */
export interface AffectTarget {
  /** Running (has a live definition). */
  active: boolean;
  /** Has a persistent definition. */
  persistent: boolean;
}

/** Which definitions a change or query affects, after CURRENT has been resolved. */
export interface ResolvedAffect {
  live: boolean;
  config: boolean;
}

/**
 * libvirt's virDomainObjUpdateModificationImpact: CURRENT becomes LIVE for a running domain and CONFIG for an
 * inactive one; LIVE on an inactive domain and CONFIG on a transient one are refused with libvirt's errors
 * (OPERATION_INVALID, error domain DOMAIN). Only the AFFECT bits of `flags` are looked at: the caller checks
 * unknown bits first with `checkFlags`, in its own function's name.
 */
export function resolveAffect(target: AffectTarget, flags: number): ResolvedAffect {
  let live = (flags & DOMAIN_AFFECT_LIVE) !== 0;
  let config = (flags & DOMAIN_AFFECT_CONFIG) !== 0;
  if (!live && !config) {
    if (target.active) live = true;
    else config = true;
  }
  if (live && !target.active) {
    throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is not running');
  }
  if (config && !target.persistent) {
    throw new VirError(
      ErrorCode.OPERATION_INVALID,
      ErrorDomain.DOMAIN,
      'transient domains do not have any persistent config',
    );
  }
  return { live, config };
}

/**
 * libvirt's virDomainObjGetOneDef flag check: for entry points that work on exactly one definition (the test
 * driver's memory parameters, every getter), LIVE and CONFIG together are refused before anything else.
 * Returns which single definition is meant.
 */
export function resolveAffectOne(target: AffectTarget, flags: number): 'live' | 'config' {
  checkAffectExclusive(flags);
  return resolveAffect(target, flags).live ? 'live' : 'config';
}

/**
 * LIVE and CONFIG together refused with the words of libvirt's VIR_EXCLUSIVE_FLAGS check (INVALID_ARG, error
 * domain DOMAIN, no prefix). libvirt's public getters (virDomainGetMemoryParameters) make it before any driver.
 */
export function checkAffectExclusive(flags: number): void {
  if (!isFlagsWord(flags)) throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, FLAGS_RANGE_MESSAGE);
  if ((flags & DOMAIN_AFFECT_LIVE) !== 0 && (flags & DOMAIN_AFFECT_CONFIG) !== 0) {
    throw new VirError(
      ErrorCode.INVALID_ARG,
      ErrorDomain.DOMAIN,
      "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive",
      { verbatim: true },
    );
  }
}
