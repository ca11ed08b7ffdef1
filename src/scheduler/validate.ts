import type { ErrorDomain } from '../errors.js';
import { invalidArgument, knownErrorDomain, readList } from '../error-guard.js';
import type { TypedParameter, TypedParameterInput } from '../typed-params/types.js';
import type { CpuTune } from '../xml/domain-def.js';
import {
  checkRanges,
  configCpuTuneAfter,
  eventParamsOf,
  liveChangesOf,
  liveCpuTuneAfter,
  type SchedulerChange,
} from './changes.js';
import { POSIX_SCHEDULER_PARAMS, type SchedulerParamName } from './params.js';

export type { SchedulerChange } from './changes.js';

// Each public function below reads the caller's list once (bounded) and hands the copy to ./changes.js; the
// drivers' path (src/drivers/common/scheduler-apply.ts) calls ./changes.js with the list parseSchedulerParams made.

/**
 * libvirt's virTypedParamsValidate of a setSchedulerParameters list against the names a driver accepts
 * (duplicates, unknown names as ARGUMENT_UNSUPPORTED, wrong types; error domain NONE, as libvirt raises them).
 * Ranges are checked apart ({@link checkSchedulerRanges}): libvirt resolves LIVE/CONFIG between the two.
 */
export function parseSchedulerParams(
  params: readonly TypedParameterInput[],
  supported: readonly SchedulerParamName[],
): SchedulerChange[] {
  return POSIX_SCHEDULER_PARAMS.validate(params, supported).map(({ param, row }) => ({
    name: row.name as SchedulerParamName,
    field: row.field,
    type: row.type as SchedulerChange['type'],
    value: param.value as bigint,
  }));
}

/**
 * libvirt's SCHED_RANGE_CHECK, in the caller's order: a period in [1000, 1000000] µs, a quota at most
 * 17592186044415 µs and, when positive, at least 1000; 0 always passes (it means "no change" live, "unset" in the
 * persistent definition) and so does any negative quota. Shares are the cgroup's to check.
 *
 * @throws VirError INVALID_ARG `value of 'vcpu_period' is out of range [1000, 1000000]`, in `domain`.
 */
export function checkSchedulerRanges(changes: readonly SchedulerChange[], domainGiven: ErrorDomain): void {
  checkRanges(readChanges(changes), knownErrorDomain(domainGiven));
}

/** A caller's changes read once and bounded: a sparse array of length 2^32 - 1 would take minutes to walk. */
function readChanges(changes: readonly SchedulerChange[]): SchedulerChange[] {
  return readList(changes, 'scheduler changes', invalidArgument) as SchedulerChange[];
}

/**
 * The changes a running domain applies: shares always, a period or quota only when not 0 (libvirt leaves the
 * running value alone for 0).
 */
export function liveSchedulerChanges(changes: readonly SchedulerChange[]): SchedulerChange[] {
  return liveChangesOf(readChanges(changes));
}

/**
 * The persistent definition's cputune after `changes`: each value stored as given, except that a period or quota
 * of 0 unsets it (libvirt prints neither then). Undefined when nothing is left set. `base` is not modified.
 */
export function mergeConfigCpuTune(base: CpuTune | undefined, changes: readonly SchedulerChange[]): CpuTune | undefined {
  return configCpuTuneAfter(base, readChanges(changes));
}

/** The live definition's cputune after the {@link liveSchedulerChanges} of a call. `base` is not modified. */
export function mergeLiveCpuTune(base: CpuTune | undefined, changes: readonly SchedulerChange[]): CpuTune {
  return liveCpuTuneAfter(base, liveSchedulerChanges(changes));
}

/**
 * getSchedulerParameters' answer from a cputune: one parameter per supported name, libvirt's order, 0 for what is
 * not set (as libvirt reports a persistent definition).
 */
export function schedulerParamsOf(tune: CpuTune | undefined, supported: readonly SchedulerParamName[]): TypedParameter[] {
  return POSIX_SCHEDULER_PARAMS.toParams((field) => tune?.[field] ?? 0n, supported);
}

/**
 * libvirt's TUNABLE event parameters for the changes a running domain applied: `cputune.cpu_shares`,
 * `cputune.vcpu_quota`, ... (VIR_DOMAIN_TUNABLE_CPU_*), in the order applied, each with the value now held.
 */
export function schedulerEventParams(changes: readonly SchedulerChange[], held: CpuTune): TypedParameter[] {
  return eventParamsOf(readChanges(changes), held);
}

