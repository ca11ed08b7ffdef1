import type { ControllerFiles } from './backend.js';
import { checkPeriod, checkQuota, checkShares, type CpuValues } from './cpu-values.js';
import { sharesToWeight, weightToShares } from './cpu-weight.js';
import { parseCgroupInteger } from './integer-text.js';

const WEIGHT = 'cpu.weight';
const MAX = 'cpu.max';

/** cpu.max's text: `QUOTA PERIOD`, or `max PERIOD` without a quota. */
function maxText(v: CpuValues): string {
  const quota = checkQuota(v.quota);
  return `${quota < 0n ? 'max' : quota} ${checkPeriod(v.period)}`;
}

function parseMax(text: string): { quota: bigint; period: bigint } {
  const [quota, period, ...rest] = text.split(' ');
  if (quota === undefined || period === undefined || rest.length > 0) {
    return { quota: parseCgroupInteger(text, MAX), period: 0n }; // throws libvirt's parse error
  }
  return { quota: quota === 'max' ? -1n : parseCgroupInteger(quota, MAX), period: parseCgroupInteger(period, MAX) };
}

/**
 * cgroup v2's cpu controller: cpu_shares → cpu.weight through {@link sharesToWeight}, period and quota together →
 * cpu.max (`QUOTA PERIOD`, `max PERIOD` for none). Weight first, as on v1.
 */
export const cpuV2Files: ControllerFiles<CpuValues> = {
  controller: 'cpu',
  version: 'v2',
  fields: ['shares', 'period', 'quota'],
  fileOf: { shares: WEIGHT, period: MAX, quota: MAX },
  encode: (v) => ({ [WEIGHT]: String(sharesToWeight(checkShares(v.shares))), [MAX]: maxText(v) }),
  decode(read) {
    const { quota, period } = parseMax(read(MAX));
    return { shares: weightToShares(parseCgroupInteger(read(WEIGHT), WEIGHT)), period, quota };
  },
  writeOrder: () => [WEIGHT, MAX],
};
