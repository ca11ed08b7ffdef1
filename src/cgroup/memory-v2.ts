import { EXTRA_MEMTUNE_PARAMS, LIBVIRT_MEMTUNE_PARAMS, MEMTUNE_FIELD, UNLIMITED } from '../memory/params.js';
import type { MemTune } from '../xml/domain-def.js';
import type { MemoryBackend } from './backend.js';
import { bytesTextToKiB, kibToBytesText } from './kib.js';

const MAX = 'memory.max';
const HIGH = 'memory.high';
const MIN = 'memory.min';
const SWAP_MAX = 'memory.swap.max';
const SWAP_HIGH = 'memory.swap.high';
const PARAMS = [...LIBVIRT_MEMTUNE_PARAMS, ...EXTRA_MEMTUNE_PARAMS];

/** v2 writes `max` for "no limit" (it rejects -1). */
function v2Text(kib: bigint): string {
  return kib === UNLIMITED ? 'max' : kibToBytesText(kib);
}

function v2KiB(text: string, file: string): bigint {
  return text === 'max' ? UNLIMITED : bytesTextToKiB(text, file);
}

/**
 * v2's swap files count swap alone, while libvirt's limits count memory plus swap: the swap share is the
 * limit minus the hard limit (what runc writes; libvirt writes the sum, which is wrong). With no hard limit the
 * memory share is unbounded, so a memory-plus-swap cap cannot be expressed and the whole value caps swap.
 */
function swapShare(total: bigint, hard: bigint): string {
  if (total === UNLIMITED) return 'max';
  if (hard === UNLIMITED) return kibToBytesText(total);
  return kibToBytesText(total > hard ? total - hard : 0n);
}

function addShare(swapText: string, hard: bigint, file: string): bigint {
  if (swapText === 'max' || hard === UNLIMITED) return UNLIMITED;
  const sum = hard + bytesTextToKiB(swapText, file);
  return sum < UNLIMITED ? sum : UNLIMITED;
}

/**
 * cgroup v2: hard → memory.max, soft → memory.high, swap_hard_limit → memory.swap.max (swap share),
 * min_guarantee → memory.min (a real guarantee), swap_soft_limit → memory.swap.high (swap share).
 */
export const v2Backend: MemoryBackend = {
  controller: 'memory',
  version: 'v2',
  probeFile: MAX,
  params: PARAMS,
  fields: PARAMS.map((p) => MEMTUNE_FIELD[p]),
  fileOf: { hardLimit: MAX, softLimit: HIGH, minGuarantee: MIN, swapHardLimit: SWAP_MAX, swapSoftLimit: SWAP_HIGH },
  usageFile: 'memory.current',
  encode: (m) => ({
    [HIGH]: v2Text(m.softLimit),
    [MIN]: m.minGuarantee === UNLIMITED ? 'max' : kibToBytesText(m.minGuarantee),
    [MAX]: v2Text(m.hardLimit),
    [SWAP_MAX]: swapShare(m.swapHardLimit, m.hardLimit),
    [SWAP_HIGH]: swapShare(m.swapSoftLimit, m.hardLimit),
  }),
  decode(read) {
    const hardLimit = v2KiB(read(MAX), MAX);
    return {
      hardLimit,
      softLimit: v2KiB(read(HIGH), HIGH),
      minGuarantee: v2KiB(read(MIN), MIN),
      swapHardLimit: addShare(read(SWAP_MAX), hardLimit, SWAP_MAX),
      swapSoftLimit: addShare(read(SWAP_HIGH), hardLimit, SWAP_HIGH),
    };
  },
  // v2 has no ordering constraint between files; keep libvirt's order so both versions behave alike.
  writeOrder: (current: MemTune, next: MemTune) =>
    next.hardLimit < current.hardLimit
      ? [HIGH, MIN, MAX, SWAP_MAX, SWAP_HIGH]
      : [HIGH, MIN, SWAP_MAX, SWAP_HIGH, MAX],
  oomKills(read) {
    const m = /^oom_kill (\d+)$/m.exec(read('memory.events'));
    return m ? Number(m[1]) : 0;
  },
};
