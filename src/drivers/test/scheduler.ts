import { checkFlags } from '../../errors.js';
import type { DomainRef, SchedulerType } from '../../driver.js';
import { FAIR_DEFAULT_WEIGHT, FAIR_SCHEDULER_PARAMS, SchedulerKind } from '../../scheduler/params.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import { TEST_ERROR_DOMAIN as E, type TestDriverContext } from './context.js';

/**
 * testDomainGetSchedulerType: `fair`, one parameter. libvirt answers without looking the domain up, so a handle on
 * a domain that has gone still gets an answer.
 */
export async function getSchedulerType(): Promise<SchedulerType> {
  return { type: SchedulerKind.FAIR, nparams: FAIR_SCHEDULER_PARAMS.rows.length };
}

/**
 * testDomainGetSchedulerParametersFlags: `weight` = 50, always. libvirt's test driver accepts no flag at all, so
 * the flags virDomainGetSchedulerParametersFlags adds (TYPED_PARAM_STRING_OKAY) are refused: only the flagless
 * call works, as on libvirt.
 */
export async function getSchedulerParameters(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<TypedParameter[]> {
  checkFlags(flags, 0, 'testDomainGetSchedulerParametersFlags', E);
  ctx.domains.fromRef(ref);
  return FAIR_SCHEDULER_PARAMS.toParams(() => FAIR_DEFAULT_WEIGHT);
}

/**
 * testDomainSetSchedulerParametersFlags: flags must be 0, the list is validated against `weight` (UINT), and the
 * value is not kept — libvirt's test driver reports 50 whatever was set, and virtune's matches it (it is the
 * oracle for test:///). No event, as in libvirt.
 */
export async function setSchedulerParameters(
  ctx: TestDriverContext,
  ref: DomainRef,
  params: readonly TypedParameterInput[],
  flags: number,
): Promise<void> {
  checkFlags(flags, 0, 'testDomainSetSchedulerParametersFlags', E);
  FAIR_SCHEDULER_PARAMS.validate(params);
  ctx.domains.fromRef(ref);
}
