import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/**
 * What one cgroup directory of the cpu controller holds, in libvirt's units: `cpu_shares` (v1's shares, 2–262144)
 * and a CFS bandwidth limit of `quota` µs of CPU time every `period` µs, a quota of -1 meaning none. A domain's
 * `cpu_shares` and `global_*` go to its cgroup, `vcpu_*` to each `vcpuN/`, `emulator_*` to `emulator/`.
 */
export interface CpuValues {
  shares: bigint;
  period: bigint;
  /** µs per period; -1: no limit. */
  quota: bigint;
}

// libvirt's limits (VIR_CGROUP_CPU_*), which are the kernel's, are the scheduler family's vocabulary.
import { CPU_PERIOD_MAX, CPU_PERIOD_MIN, CPU_QUOTA_MAX, CPU_QUOTA_MIN, CPU_SHARES_MAX, CPU_SHARES_MIN } from '../scheduler/params.js';
export { CPU_PERIOD_MAX, CPU_PERIOD_MIN, CPU_QUOTA_MAX, CPU_QUOTA_MIN, CPU_SHARES_MAX, CPU_SHARES_MIN };

function invalid(text: string): VirError {
  return new VirError(ErrorCode.INVALID_ARG, ErrorDomain.CGROUP, text);
}

/** Shares as decimal text, refused outside [2, 262144] with libvirt's message before any write. */
export function checkShares(shares: bigint): bigint {
  if (shares < CPU_SHARES_MIN || shares > CPU_SHARES_MAX) {
    throw invalid(`shares '${shares}' must be in range [${CPU_SHARES_MIN}, ${CPU_SHARES_MAX}]`);
  }
  return shares;
}

/** A period, refused outside [1000, 1000000] µs with libvirt's message. */
export function checkPeriod(period: bigint): bigint {
  if (period < CPU_PERIOD_MIN || period > CPU_PERIOD_MAX) {
    throw invalid(`cfs_period '${period}' must be in range (${CPU_PERIOD_MIN}, ${CPU_PERIOD_MAX})`);
  }
  return period;
}

/** A quota: -1 (any negative, as libvirt) is none; otherwise refused outside [1000, 2^44 - 1] µs. */
export function checkQuota(quota: bigint): bigint {
  if (quota < 0n) return -1n;
  if (quota < CPU_QUOTA_MIN || quota > CPU_QUOTA_MAX) {
    throw invalid(`cfs_quota '${quota}' must be in range (${CPU_QUOTA_MIN}, ${CPU_QUOTA_MAX})`);
  }
  return quota;
}
