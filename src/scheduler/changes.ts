// The work on one call's scheduler changes once the list is read: parseSchedulerParams' own result on the drivers'
// path, a caller's list read once (bounded) by each public function of validate.ts. Nothing here reads a caller's
// list. Not exported by the package (src/scheduler/index.ts star-exports validate.ts, not this file).
import { ErrorCode, VirError, type ErrorDomain } from '../errors.js';
import { TypedParameterType, type TypedParameter } from '../typed-params/types.js';
import type { CpuTune } from '../xml/domain-def.js';
import { CPU_PERIOD_MAX, CPU_PERIOD_MIN, CPU_QUOTA_MAX, CPU_QUOTA_MIN, TUNABLE_CPU_PREFIX, type SchedulerParamName } from './params.js';

/** One accepted parameter of a setSchedulerParameters call; a call's changes keep the caller's order. */
export interface SchedulerChange {
  name: SchedulerParamName;
  /** The CpuTune field it sets. */
  field: keyof CpuTune;
  type: TypedParameterType.ULLONG | TypedParameterType.LLONG;
  value: bigint;
}

/** True for the quotas (LLONG), false for shares and the periods (ULLONG). */
const isQuota = (c: SchedulerChange): boolean => c.type === TypedParameterType.LLONG;
const isPeriod = (c: SchedulerChange): boolean => c.type === TypedParameterType.ULLONG && c.field !== 'shares';

/** libvirt's SCHED_RANGE_CHECK over read changes, in `domain` (one of libvirt's). */
export function checkRanges(changes: readonly SchedulerChange[], domain: ErrorDomain): void {
  for (const c of changes) {
    const [min, max] = isQuota(c) ? [CPU_QUOTA_MIN, CPU_QUOTA_MAX] : isPeriod(c) ? [CPU_PERIOD_MIN, CPU_PERIOD_MAX] : [];
    if (min === undefined || max === undefined) continue;
    if ((c.value > 0n && c.value < min) || c.value > max) {
      throw new VirError(ErrorCode.INVALID_ARG, domain, `value of '${c.name}' is out of range [${min}, ${max}]`);
    }
  }
}

/** The read changes a running domain applies (shares always, a period or quota only when not 0). */
export function liveChangesOf(changes: readonly SchedulerChange[]): SchedulerChange[] {
  return changes.filter((c) => c.field === 'shares' || c.value !== 0n);
}

/** The persistent cputune after read changes (0 unsets a period or quota); undefined when nothing is left set. */
export function configCpuTuneAfter(base: CpuTune | undefined, changes: readonly SchedulerChange[]): CpuTune | undefined {
  const next: CpuTune = { ...base };
  for (const c of changes) {
    if (c.field !== 'shares' && c.value === 0n) delete next[c.field];
    else next[c.field] = c.value;
  }
  return Object.keys(next).length > 0 ? next : undefined;
}

/** The live cputune after the {@link liveChangesOf} of a call. */
export function liveCpuTuneAfter(base: CpuTune | undefined, liveChanges: readonly SchedulerChange[]): CpuTune {
  const next: CpuTune = { ...base };
  for (const c of liveChanges) next[c.field] = c.value;
  return next;
}

/** The TUNABLE event parameters (`cputune.*`) of read changes, each with the value now held. */
export function eventParamsOf(changes: readonly SchedulerChange[], held: CpuTune): TypedParameter[] {
  return changes.map((c) => ({ field: `${TUNABLE_CPU_PREFIX}${c.name}`, type: c.type, value: held[c.field] ?? c.value }));
}
