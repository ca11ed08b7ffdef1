import { ErrorCode, ErrorDomain, VirError, checkFlags } from '../../errors.js';
import type { DomainMemoryStat, DomainRef } from '../../driver.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, DomainMemoryStatTag as T } from '../../flags.js';
import { resolveAffectOne } from '../common/affect.js';
import { hasMemballoon, noBalloonForPeriod } from '../common/memballoon.js';
import { TEST_ERROR_DOMAIN as E, type TestDriverContext } from './context.js';

/** libvirt's test driver answers with this fixed time for `last_update`. */
const TEST_LAST_UPDATE = 627319920n;

/**
 * testDomainMemoryStats: figures made up from the balloon's size, as libvirt's test driver makes them (a domain
 * without a balloon reports only `rss`).
 */
export async function memoryStats(ctx: TestDriverContext, ref: DomainRef, flags: number): Promise<DomainMemoryStat[]> {
  checkFlags(flags, 0, 'testDomainMemoryStats', E);
  const obj = ctx.domains.fromRef(ref);
  if (!obj.active) throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, 'domain is not running');
  const def = obj.def('live');
  const cur = BigInt(def.currentMemory);
  const stats: [T, bigint][] = hasMemballoon(def)
    ? [
        [T.ACTUAL_BALLOON, cur],
        [T.SWAP_IN, 0n],
        [T.SWAP_OUT, 0n],
        [T.MAJOR_FAULT, 0n],
        [T.MINOR_FAULT, 0n],
        [T.UNUSED, cur / 2n],
        [T.AVAILABLE, cur],
        [T.USABLE, cur / 2n],
        [T.LAST_UPDATE, TEST_LAST_UPDATE],
        [T.DISK_CACHES, cur / 8n],
        [T.HUGETLB_PGALLOC, 0n],
        [T.HUGETLB_PGFAIL, 0n],
      ]
    : [];
  stats.push([T.RSS, cur / 2n]);
  return stats.map(([tag, val]) => ({ tag, val }));
}

/** testDomainSetMemoryStatsPeriod: stores `<stats period>` in the one definition the flags name. */
export async function setMemoryStatsPeriod(ctx: TestDriverContext, ref: DomainRef, period: number, flags: number): Promise<void> {
  checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, 'testDomainSetMemoryStatsPeriod', E);
  const obj = ctx.domains.fromRef(ref);
  const def = obj.def(resolveAffectOne(obj, flags));
  if (!hasMemballoon(def)) throw noBalloonForPeriod(E);
  def.devices.memballoon = { ...def.devices.memballoon!, statsPeriod: period };
}
