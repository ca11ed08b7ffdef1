import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { TypedParameterType, type TypedParameter, type TypedParameterInput } from '../typed-params/types.js';
import type { CpuTune } from '../xml/domain-def.js';
import { CPU_PERIOD_DEFAULT, FAIR_SCHEDULER_PARAMS, POSIX_SCHEDULER_PARAMS, SCHEDULER_WEIGHT } from './params.js';

/** A share of one host CPU, in percent (`50` is half a CPU, `250` two and a half), or no limit. */
export type CpuPercent = number | 'unlimited';

/**
 * What `Domain.setCpuTune` takes: the `<cputune>` fields by name (µs for periods and quotas, a plain weight for
 * `shares`), the test driver's `weight`, and two conveniences:
 * - `cpuPercent`: each vCPU may use this share of a host CPU — `vcpu_quota = vcpu_period × cpuPercent / 100`,
 *   with `vcpu_period` as given in `period` or the kernel's default 100000 µs; both are set.
 * - `globalCpuPercent`: the whole domain may use this share of one host CPU (`200` = two CPUs), through
 *   `global_period` / `global_quota` the same way.
 * Absent fields stay as they are.
 */
export type CpuTuneValues = { [K in keyof CpuTune]?: bigint | number } & {
  weight?: number;
  cpuPercent?: CpuPercent;
  globalCpuPercent?: CpuPercent;
};

/** What `Domain.getCpuTune` returns: the fields the driver reports (all nine on QEMU, `weight` on the test driver). */
export type CpuTuneReport = Partial<CpuTune> & { weight?: number };

const invalid = (message: string): VirError => new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, message);

/** The quota for `percent` of one CPU over `period` µs: rounded to the nearest µs; -1 (no limit) for `unlimited`. */
export function cpuPercentToQuota(percent: CpuPercent, period: bigint): bigint {
  if (percent === 'unlimited') return -1n;
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent <= 0) {
    throw invalid(`CPU percentage must be a positive number or 'unlimited', not '${String(percent)}'`);
  }
  return BigInt(Math.round((Number(period) * percent) / 100));
}

/** One of the two percentage conveniences: the period and quota fields it sets, and its name in errors. */
const PERCENT_FIELDS = [
  ['cpuPercent', 'period', 'quota'],
  ['globalCpuPercent', 'globalPeriod', 'globalQuota'],
] as const;

const KNOWN = new Set<string>([...POSIX_SCHEDULER_PARAMS.rows.map((r) => r.field), SCHEDULER_WEIGHT, ...PERCENT_FIELDS.map((p) => p[0])]);

/**
 * The typed parameters that set `values`, in libvirt's order (the POSIX scheduler's nine, then `weight`). A
 * percentage becomes its period and quota. Values are passed as given: setSchedulerParameters checks them.
 *
 * @throws VirError INVALID_ARG for a bad percentage or a percentage given with its own quota, ARGUMENT_UNSUPPORTED
 *   for a field virtune does not know; nothing has been sent then.
 */
export function cpuTuneValuesToParams(values: CpuTuneValues): TypedParameterInput[] {
  if (values === null || typeof values !== 'object') throw invalid('cputune values must be an object');
  for (const key of Object.keys(values)) {
    if (!KNOWN.has(key)) throw new VirError(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE, `cputune field '${key}' not supported`);
  }
  const fields: { [K in keyof CpuTune]?: bigint | number } = { ...values };
  for (const [name, periodField, quotaField] of PERCENT_FIELDS) {
    const percent = values[name];
    if (percent === undefined) continue;
    if (values[quotaField] !== undefined) throw invalid(`${name} and ${quotaField} cannot be given together`);
    const period = BigInt(values[periodField] ?? CPU_PERIOD_DEFAULT);
    fields[periodField] = period;
    fields[quotaField] = cpuPercentToQuota(percent, period);
  }
  const params: TypedParameterInput[] = POSIX_SCHEDULER_PARAMS.rows
    .filter((r) => fields[r.field] !== undefined)
    .map((r) => ({ field: r.name, type: r.type, value: fields[r.field] }) as TypedParameterInput);
  if (values.weight !== undefined) params.push({ field: SCHEDULER_WEIGHT, type: TypedParameterType.UINT, value: values.weight });
  return params;
}

/** getSchedulerParameters' answer as named fields; names virtune does not know are left out. */
export function paramsToCpuTune(params: readonly TypedParameter[]): CpuTuneReport {
  const out: CpuTuneReport = {};
  for (const p of params) {
    const row = POSIX_SCHEDULER_PARAMS.row(p.field);
    if (row && typeof p.value === 'bigint') out[row.field] = p.value;
    else if (FAIR_SCHEDULER_PARAMS.row(p.field) && typeof p.value === 'number') out.weight = p.value;
  }
  return out;
}
