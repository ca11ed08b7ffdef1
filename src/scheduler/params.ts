import { ParamTable } from '../typed-params/param-table.js';
import { TypedParameterType } from '../typed-params/types.js';
import type { CpuTune } from '../xml/domain-def.js';

/** libvirt's VIR_DOMAIN_SCHEDULER_CPU_SHARES: the domain's relative CPU weight (ULLONG, unitless). */
export const SCHEDULER_CPU_SHARES = 'cpu_shares';
/** VIR_DOMAIN_SCHEDULER_VCPU_PERIOD: the CFS period of each vCPU thread, µs (ULLONG). */
export const SCHEDULER_VCPU_PERIOD = 'vcpu_period';
/** VIR_DOMAIN_SCHEDULER_VCPU_QUOTA: each vCPU's CPU time per period, µs; negative = unlimited (LLONG). */
export const SCHEDULER_VCPU_QUOTA = 'vcpu_quota';
/** VIR_DOMAIN_SCHEDULER_EMULATOR_PERIOD: the emulator threads' CFS period, µs (ULLONG). */
export const SCHEDULER_EMULATOR_PERIOD = 'emulator_period';
/** VIR_DOMAIN_SCHEDULER_EMULATOR_QUOTA: the emulator threads' CPU time per period, µs (LLONG). */
export const SCHEDULER_EMULATOR_QUOTA = 'emulator_quota';
/** VIR_DOMAIN_SCHEDULER_GLOBAL_PERIOD: the whole domain's CFS period, µs (ULLONG). */
export const SCHEDULER_GLOBAL_PERIOD = 'global_period';
/** VIR_DOMAIN_SCHEDULER_GLOBAL_QUOTA: the whole domain's CPU time per period, µs (LLONG). */
export const SCHEDULER_GLOBAL_QUOTA = 'global_quota';
/** VIR_DOMAIN_SCHEDULER_IOTHREAD_PERIOD: the I/O threads' CFS period, µs (ULLONG). */
export const SCHEDULER_IOTHREAD_PERIOD = 'iothread_period';
/** VIR_DOMAIN_SCHEDULER_IOTHREAD_QUOTA: the I/O threads' CPU time per period, µs (LLONG). */
export const SCHEDULER_IOTHREAD_QUOTA = 'iothread_quota';
/** VIR_DOMAIN_SCHEDULER_WEIGHT: the `fair` scheduler's weight (UINT) — the test driver's only parameter. */
export const SCHEDULER_WEIGHT = 'weight';

/** The POSIX scheduler's parameters (QEMU, LXC), in the order libvirt reports them; each sets a CpuTune field. */
export const POSIX_SCHEDULER_PARAMS = new ParamTable<keyof CpuTune>([
  { name: SCHEDULER_CPU_SHARES, type: TypedParameterType.ULLONG, field: 'shares' },
  { name: SCHEDULER_VCPU_PERIOD, type: TypedParameterType.ULLONG, field: 'period' },
  { name: SCHEDULER_VCPU_QUOTA, type: TypedParameterType.LLONG, field: 'quota' },
  { name: SCHEDULER_EMULATOR_PERIOD, type: TypedParameterType.ULLONG, field: 'emulatorPeriod' },
  { name: SCHEDULER_EMULATOR_QUOTA, type: TypedParameterType.LLONG, field: 'emulatorQuota' },
  { name: SCHEDULER_GLOBAL_PERIOD, type: TypedParameterType.ULLONG, field: 'globalPeriod' },
  { name: SCHEDULER_GLOBAL_QUOTA, type: TypedParameterType.LLONG, field: 'globalQuota' },
  { name: SCHEDULER_IOTHREAD_PERIOD, type: TypedParameterType.ULLONG, field: 'iothreadPeriod' },
  { name: SCHEDULER_IOTHREAD_QUOTA, type: TypedParameterType.LLONG, field: 'iothreadQuota' },
]);

/** A POSIX scheduler parameter's name. */
export type SchedulerParamName = (typeof POSIX_SCHEDULER_PARAM_NAMES)[number];
/** Every POSIX scheduler parameter, libvirt's order: what QEMU accepts and reports with CFS bandwidth. */
export const POSIX_SCHEDULER_PARAM_NAMES = [
  SCHEDULER_CPU_SHARES,
  SCHEDULER_VCPU_PERIOD,
  SCHEDULER_VCPU_QUOTA,
  SCHEDULER_EMULATOR_PERIOD,
  SCHEDULER_EMULATOR_QUOTA,
  SCHEDULER_GLOBAL_PERIOD,
  SCHEDULER_GLOBAL_QUOTA,
  SCHEDULER_IOTHREAD_PERIOD,
  SCHEDULER_IOTHREAD_QUOTA,
] as const;
/** What libvirt's LXC driver accepts and reports: shares and the vCPU (the container's) bandwidth. */
export const LXC_SCHEDULER_PARAM_NAMES: readonly SchedulerParamName[] = [
  SCHEDULER_CPU_SHARES,
  SCHEDULER_VCPU_PERIOD,
  SCHEDULER_VCPU_QUOTA,
];
/** Without CFS bandwidth in the host's cpu controller, libvirt's drivers report and accept shares alone. */
export const SHARES_ONLY_SCHEDULER_PARAM_NAMES: readonly SchedulerParamName[] = [SCHEDULER_CPU_SHARES];

/** libvirt's scheduler names (virDomainGetSchedulerType): `posix` for QEMU and LXC, `fair` for the test driver. */
export const SchedulerKind = { POSIX: 'posix', FAIR: 'fair' } as const;

/**
 * libvirt's ranges (vircgroup.h's VIR_CGROUP_CPU_*, checked by QEMU and LXC, and by the cgroup layer before it
 * writes): a period is 1000–1000000 µs, a quota 1000–17592186044415 µs (the kernel's largest CFS bandwidth,
 * (1 << 44) - 1) or negative (no limit).
 * 0 passes the check: live it changes nothing, in the persistent definition it unsets the value.
 */
// Defined once, beside the XML model that checks them when a definition is read (src/xml/cpu-ranges.ts); shares
// are what the cgroup v1 cpu controller accepts for `cpu.shares` (libvirt's VIR_CGROUP_CPU_SHARES_MIN/MAX).
export {
  CPU_PERIOD_MAX, CPU_PERIOD_MIN, CPU_QUOTA_MAX, CPU_QUOTA_MIN, CPU_SHARES_MAX, CPU_SHARES_MIN,
} from '../xml/cpu-ranges.js';
/** The kernel's default CFS period, µs: what a period left unset means. */
export const CPU_PERIOD_DEFAULT = 100000n;

/** libvirt's TUNABLE event keys (VIR_DOMAIN_TUNABLE_CPU_*) are the parameter names under `cputune.`. */
export const TUNABLE_CPU_PREFIX = 'cputune.';

/** The `fair` scheduler of libvirt's test driver: one parameter, `weight` (UINT). */
export const FAIR_SCHEDULER_PARAMS = new ParamTable<'weight'>([
  { name: SCHEDULER_WEIGHT, type: TypedParameterType.UINT, field: 'weight' },
]);
/** The weight libvirt's test driver always reports (it does not keep what is set). */
export const FAIR_DEFAULT_WEIGHT = 50;
