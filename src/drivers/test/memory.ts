import { ErrorCode, VirError, checkFlags } from '../../errors.js';
import type { DomainRef } from '../../driver.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, DOMAIN_MEM_MAXIMUM, TYPED_PARAM_STRING_OKAY } from '../../flags.js';
import { emptyMemTune } from '../../memory/params.js';
import { memTuneToParams, memTuneUpdateToParams, memoryParamCount, mergeMemTune, parseMemoryParams } from '../../memory/validate.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { resolveAffectOne } from '../common/affect.js';
import type { DomainObject } from '../common/domain-objects.js';
import { TEST_ERROR_DOMAIN as E, TEST_MEMORY_PARAMS, type TestDriverContext } from './context.js';

const AFFECT = DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG;

/** The one definition a getter reads, after libvirt's test-driver checks (flags, domain, LIVE xor CONFIG). */
function defForGet(ctx: TestDriverContext, ref: DomainRef, flags: number): DomainDef {
  checkFlags(flags, AFFECT | TYPED_PARAM_STRING_OKAY, 'testDomainGetMemoryParameters', E);
  const obj = ctx.domains.fromRef(ref);
  return obj.def(resolveAffectOne(obj, flags));
}

/** testDomainSetMemoryParameters, with the hard ≤ swap check made on the definition being changed. */
export async function setMemoryParameters(
  ctx: TestDriverContext,
  ref: DomainRef,
  params: readonly TypedParameterInput[],
  flags: number,
): Promise<void> {
  checkFlags(flags, AFFECT, 'testDomainSetMemoryParameters', E);
  const update = parseMemoryParams(params, TEST_MEMORY_PARAMS, E);
  const obj = ctx.domains.fromRef(ref);
  const def = obj.def(resolveAffectOne(obj, flags));
  def.memtune = mergeMemTune(def.memtune, update, E);
  ctx.emit({ kind: 'tunable', domain: obj.ref(), params: memTuneUpdateToParams(update) });
}

/** testDomainGetMemoryParameters. */
export async function getMemoryParameters(
  ctx: TestDriverContext,
  ref: DomainRef,
  flags: number,
): Promise<TypedParameter[]> {
  return memTuneToParams(defForGet(ctx, ref, flags).memtune, TEST_MEMORY_PARAMS);
}

/**
 * testDomainGetMemoryParameters with nparams=0. libvirt answers 3 right after checking the flags, before it looks
 * the domain up; virtune then adds the extensions a definition has set, and where libvirt would not have failed
 * (a vanished domain, LIVE|CONFIG, LIVE on an inactive domain) it does not fail either.
 */
export async function getMemoryParameterCount(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<number> {
  checkFlags(flags, AFFECT | TYPED_PARAM_STRING_OKAY, 'testDomainGetMemoryParameters', E);
  const obj = ctx.domains.findByUUID(ref.uuid);
  const which = obj && (flags & AFFECT) !== AFFECT ? tryResolve(obj, flags) : undefined;
  return memoryParamCount(which ? obj!.def(which).memtune : emptyMemTune(), TEST_MEMORY_PARAMS);
}

function tryResolve(obj: DomainObject, flags: number): 'live' | 'config' | undefined {
  try {
    return resolveAffectOne(obj, flags);
  } catch {
    return undefined;
  }
}

/**
 * testDomainSetMemoryFlags: `<currentMemory>` (at most `<memory>`), or with DOMAIN_MEM_MAXIMUM `<memory>` of
 * an inactive definition (currentMemory follows it down).
 */
export async function setMemoryFlags(ctx: TestDriverContext, ref: DomainRef, kib: bigint, flags: number): Promise<void> {
  checkFlags(flags, AFFECT | DOMAIN_MEM_MAXIMUM, 'testDomainSetMemoryFlags', E);
  const obj = ctx.domains.fromRef(ref);
  const which = resolveAffectOne(obj, flags);
  const def = obj.def(which);
  if ((flags & DOMAIN_MEM_MAXIMUM) !== 0) {
    if (which === 'live') {
      throw new VirError(ErrorCode.OPERATION_INVALID, E, 'cannot resize the maximum memory on an active domain');
    }
    def.memory = kib;
    if (def.currentMemory > kib) def.currentMemory = kib;
    return;
  }
  if (kib > def.memory) {
    throw new VirError(ErrorCode.INVALID_ARG, E, 'cannot set memory higher than max memory');
  }
  def.currentMemory = kib;
}
