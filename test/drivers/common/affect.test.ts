import { describe, expect, it } from 'vitest';
import { resolveAffect, resolveAffectOne } from '../../../src/drivers/common/affect.js';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_CURRENT, DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { virErrorOf } from '../../helpers/vir-error.js';

const running = { active: true, persistent: true };
const inactive = { active: false, persistent: true };
const transient = { active: true, persistent: false };

describe('resolveAffect', () => {
  it('CURRENT means LIVE when running and CONFIG when not', () => {
    expect(resolveAffect(running, DOMAIN_AFFECT_CURRENT)).toEqual({ live: true, config: false });
    expect(resolveAffect(inactive, DOMAIN_AFFECT_CURRENT)).toEqual({ live: false, config: true });
    expect(resolveAffect(transient, DOMAIN_AFFECT_CURRENT)).toEqual({ live: true, config: false });
  });

  it('allows LIVE|CONFIG together on a running persistent domain', () => {
    expect(resolveAffect(running, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG)).toEqual({ live: true, config: true });
  });

  it("refuses LIVE on an inactive domain with libvirt's error", () => {
    const e = virErrorOf(() => resolveAffect(inactive, DOMAIN_AFFECT_LIVE));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.OPERATION_INVALID,
      ErrorDomain.DOMAIN,
      'Requested operation is not valid: domain is not running',
    ]);
  });

  it("refuses CONFIG on a transient domain with libvirt's error", () => {
    const e = virErrorOf(() => resolveAffect(transient, DOMAIN_AFFECT_CONFIG));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.OPERATION_INVALID,
      ErrorDomain.DOMAIN,
      'Requested operation is not valid: transient domains do not have any persistent config',
    ]);
  });
});

describe('resolveAffectOne', () => {
  it('names the one definition meant', () => {
    expect(resolveAffectOne(running, 0)).toBe('live');
    expect(resolveAffectOne(running, DOMAIN_AFFECT_CONFIG)).toBe('config');
    expect(resolveAffectOne(inactive, 0)).toBe('config');
  });

  it('refuses LIVE|CONFIG before looking at the domain', () => {
    const e = virErrorOf(() => resolveAffectOne(inactive, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.INVALID_ARG,
      ErrorDomain.DOMAIN,
      "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive",
    ]);
  });
});
