import type { ControllerFiles } from './backend.js';
import { checkPeriod, checkQuota, checkShares, type CpuValues } from './cpu-values.js';
import { parseCgroupInteger } from './integer-text.js';

const SHARES = 'cpu.shares';
const PERIOD = 'cpu.cfs_period_us';
const QUOTA = 'cpu.cfs_quota_us';

/**
 * cgroup v1's cpu controller: cpu_shares → cpu.shares, the period → cpu.cfs_period_us, the quota →
 * cpu.cfs_quota_us (-1: none). Written in libvirt's order: shares, then the period before the quota.
 */
export const cpuV1Files: ControllerFiles<CpuValues> = {
  controller: 'cpu',
  version: 'v1',
  // libvirt's test for CFS bandwidth (virCgroupV1SupportsCpuBW).
  probeFile: PERIOD,
  fields: ['shares', 'period', 'quota'],
  fileOf: { shares: SHARES, period: PERIOD, quota: QUOTA },
  encode: (v) => ({
    [SHARES]: String(checkShares(v.shares)),
    [PERIOD]: String(checkPeriod(v.period)),
    [QUOTA]: String(checkQuota(v.quota)),
  }),
  decode: (read) => ({
    shares: parseCgroupInteger(read(SHARES), SHARES),
    period: parseCgroupInteger(read(PERIOD), PERIOD),
    quota: parseCgroupInteger(read(QUOTA), QUOTA, true),
  }),
  writeOrder: () => [SHARES, PERIOD, QUOTA],
};
