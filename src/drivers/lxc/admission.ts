import { readFileSync } from 'node:fs';
import type { MemoryController } from '../../cgroup/controller.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';

/** A running domain's guarantee and how much of it it already uses. */
export interface GuaranteeHolder {
  guaranteeKiB: number;
  usageKiB: number;
}

/** MemAvailable from /proc/meminfo, KiB. */
export function memAvailableKiB(meminfo = '/proc/meminfo'): number {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync(meminfo, 'utf8'));
  if (!m) throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.LXC, `no MemAvailable in ${meminfo}`);
  return Number(m[1]);
}

/**
 * min_guarantee admission control: a domain may start only if the host can still cover every guarantee.
 * Two checks: the guarantees together fit under the parent cgroup's limit; and the part of the guarantees not
 * yet in use (the new domain's whole guarantee, the running ones' guarantee minus their usage) fits in
 * MemAvailable, which already excludes what the running domains use.
 *
 * @throws VirError OPERATION_FAILED naming the shortfall.
 */
export function admitGuarantee(
  name: string,
  newGuaranteeKiB: number,
  running: readonly GuaranteeHolder[],
  controller: MemoryController,
  available: () => number = memAvailableKiB,
): void {
  if (newGuaranteeKiB <= 0) return;
  const total = running.reduce((sum, r) => sum + r.guaranteeKiB, newGuaranteeKiB);
  const parentLimit = controller.parentLimitKiB();
  if (total > parentLimit) {
    throw new VirError(
      ErrorCode.OPERATION_FAILED,
      ErrorDomain.LXC,
      `cannot guarantee ${newGuaranteeKiB} KiB to domain '${name}': guarantees would total ${total} KiB, above the limit of ${parentLimit} KiB of cgroup '${controller.parent}'`,
    );
  }
  const pending = running.reduce((sum, r) => sum + Math.max(0, r.guaranteeKiB - r.usageKiB), newGuaranteeKiB);
  const free = available();
  if (pending > free) {
    throw new VirError(
      ErrorCode.OPERATION_FAILED,
      ErrorDomain.LXC,
      `cannot guarantee ${newGuaranteeKiB} KiB to domain '${name}': ${pending} KiB of guarantees are not yet backed and the host has ${free} KiB available`,
    );
  }
}
