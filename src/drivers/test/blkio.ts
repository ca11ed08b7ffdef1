import { checkFlags } from '../../errors.js';
import type { DomainRef } from '../../driver.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, TYPED_PARAM_STRING_OKAY } from '../../flags.js';
import {
  blkioTuneToParams,
  blkioUpdateFrom,
  blkioUpdateToParams,
  isEmptyBlkioUpdate,
  mergeBlkioTune,
  validateBlkioParams,
} from '../../blkio/validate.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import { resolveAffectOne } from '../common/affect.js';
import { TEST_ERROR_DOMAIN as E, type TestDriverContext } from './context.js';

const AFFECT = DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG;

/**
 * testDomainSetBlkioParameters, in libvirt's order: flags, parameter names and types, the domain, the one
 * definition (LIVE xor CONFIG), then the device lists. Paths are stored as written, never looked at: the test driver
 * has no devices to resolve. Unlike libvirt's, a call that fails changes nothing, and a change emits a `tunable`
 * event (virtune's extension, as for memtune; libvirt's test driver emits none).
 */
export async function setBlkioParameters(
  ctx: TestDriverContext,
  ref: DomainRef,
  params: readonly TypedParameterInput[],
  flags: number,
): Promise<void> {
  checkFlags(flags, AFFECT, 'testDomainSetBlkioParameters', E);
  const valid = validateBlkioParams(params);
  const obj = ctx.domains.fromRef(ref);
  const def = obj.def(resolveAffectOne(obj, flags));
  const update = blkioUpdateFrom(valid);
  if (isEmptyBlkioUpdate(update)) return;
  def.blkiotune = mergeBlkioTune(def.blkiotune, update);
  ctx.emit({ kind: 'tunable', domain: obj.ref(), params: blkioUpdateToParams(update) });
}

/** testDomainGetBlkioParameters: libvirt's six, from the one definition the flags name. */
export async function getBlkioParameters(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<TypedParameter[]> {
  checkFlags(flags, AFFECT | TYPED_PARAM_STRING_OKAY, 'testDomainGetBlkioParameters', E);
  const obj = ctx.domains.fromRef(ref);
  return blkioTuneToParams(obj.def(resolveAffectOne(obj, flags)).blkiotune);
}
