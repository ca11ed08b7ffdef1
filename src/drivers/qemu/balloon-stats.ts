import { readFile } from 'node:fs/promises';
import type { DomainMemoryStat } from '../../driver.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { DomainMemoryStatTag as T } from '../../flags.js';
import { BALLOON_ID } from './command-line.js';
import type { QmpClient } from './qmp-client.js';
import { qmpBigInt, type QmpObject, type QmpValue } from './qmp-json.js';

/** QEMU marks a figure the guest has not reported as -1, printed by some builds as 2^64 - 1. */
const UNREPORTED = (1n << 64n) - 1n;

/**
 * What `qom-get guest-stats` says: the guest's figures by QEMU's names (`stat-free-memory`, ...; bytes or counts),
 * each undefined when the guest has not reported it, and `last-update`, the host's clock in seconds when the guest
 * last answered (0: never). The timer re-arms only when the guest answers, so a stuck guest's `last-update` stops.
 */
export interface GuestStats {
  lastUpdate: bigint;
  stats: Readonly<Record<string, bigint | undefined>>;
}

/** Reads the balloon's `guest-stats` property. */
export async function readGuestStats(qmp: QmpClient): Promise<GuestStats> {
  const r = await qmp.execute('qom-get', { path: `/machine/peripheral/${BALLOON_ID}`, property: 'guest-stats' });
  return parseGuestStats(r);
}

/**
 * Parses a `guest-stats` reply exactly: -1 and 2^64 - 1 are "not reported" (undefined); anything that is not a
 * non-negative integer is refused.
 */
export function parseGuestStats(reply: QmpValue): GuestStats {
  const bad = (why: string): never => {
    throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, `qom-get guest-stats reply ${why}`);
  };
  if (reply === null || typeof reply !== 'object' || Array.isArray(reply)) return bad('was missing return data');
  const obj = reply as QmpObject;
  const raw = obj.stats;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return bad("was missing 'stats' data");
  const lastUpdate = qmpBigInt(obj['last-update']);
  if (lastUpdate === undefined || lastUpdate < 0n) return bad("has no valid 'last-update'");
  const stats: Record<string, bigint | undefined> = {};
  for (const [name, value] of Object.entries(raw as QmpObject)) {
    const n = qmpBigInt(value);
    if (n === undefined || n < -1n || n > UNREPORTED) return bad(`has a malformed '${name}'`);
    stats[name] = n === -1n || n === UNREPORTED ? undefined : n;
  }
  return { lastUpdate, stats };
}

/** QEMU's names for libvirt's tags, in the order libvirt reports them, and the divisor that makes KiB of bytes. */
const BALLOON_FIGURES: readonly [string, T, bigint][] = [
  ['stat-swap-in', T.SWAP_IN, 1024n],
  ['stat-swap-out', T.SWAP_OUT, 1024n],
  ['stat-major-faults', T.MAJOR_FAULT, 1n],
  ['stat-minor-faults', T.MINOR_FAULT, 1n],
  ['stat-free-memory', T.UNUSED, 1024n],
  ['stat-total-memory', T.AVAILABLE, 1024n],
  ['stat-available-memory', T.USABLE, 1024n],
  ['last-update', T.LAST_UPDATE, 1n],
  ['stat-disk-caches', T.DISK_CACHES, 1024n],
  ['stat-htlb-pgalloc', T.HUGETLB_PGALLOC, 1n],
  ['stat-htlb-pgfail', T.HUGETLB_PGFAIL, 1n],
];

/**
 * The figures of libvirt's qemuDomainMemoryStats, in its order: `actual` (the balloon), the guest's figures it
 * reported (unreported ones left out, as libvirt leaves them out), then QEMU's `rss`. `guest` is undefined for a
 * domain without a balloon, which reports `rss` alone.
 */
export function memoryStatsOf(actualKiB: bigint | undefined, guest: GuestStats | undefined, rssKiB: number | undefined): DomainMemoryStat[] {
  const out: DomainMemoryStat[] = [];
  if (actualKiB !== undefined) out.push({ tag: T.ACTUAL_BALLOON, val: actualKiB });
  if (guest) {
    for (const [name, tag, div] of BALLOON_FIGURES) {
      const v = name === 'last-update' ? guest.lastUpdate : guest.stats[name];
      if (v !== undefined) out.push({ tag, val: v / div });
    }
  }
  if (rssKiB !== undefined) out.push({ tag: T.RSS, val: BigInt(rssKiB) });
  return out;
}

/** Resident set size of `pid` in KiB from /proc/PID/stat (field 24, pages), as libvirt's qemuGetProcessInfo. */
export async function processRssKiB(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command start at field 3; rss is field 24.
    const pages = Number(fields[24 - 3]);
    return Number.isFinite(pages) ? pages * 4 : undefined;
  } catch {
    return undefined;
  }
}
