import { LIBVIRT_MEMTUNE_PARAMS, MEMTUNE_FIELD, UNLIMITED } from '../memory/params.js';
import type { MemTune } from '../xml/domain-def.js';
import type { MemoryBackend } from './backend.js';
import { bytesTextToKiB, kibToBytesText } from './kib.js';

const HARD = 'memory.limit_in_bytes';
const SOFT = 'memory.soft_limit_in_bytes';
const SWAP = 'memory.memsw.limit_in_bytes';

/** v1 writes `-1` for "no limit". */
function v1Text(kib: bigint): string {
  return kib === UNLIMITED ? '-1' : kibToBytesText(kib);
}

/**
 * cgroup v1: hard → memory.limit_in_bytes, soft → memory.soft_limit_in_bytes, swap_hard_limit →
 * memory.memsw.limit_in_bytes (memory plus swap, exactly libvirt's meaning). No guarantee exists in v1.
 */
export const v1Backend: MemoryBackend = {
  controller: 'memory',
  version: 'v1',
  probeFile: HARD,
  params: LIBVIRT_MEMTUNE_PARAMS,
  fields: LIBVIRT_MEMTUNE_PARAMS.map((p) => MEMTUNE_FIELD[p]),
  fileOf: { hardLimit: HARD, softLimit: SOFT, swapHardLimit: SWAP },
  usageFile: 'memory.usage_in_bytes',
  encode: (m) => ({ [SOFT]: v1Text(m.softLimit), [HARD]: v1Text(m.hardLimit), [SWAP]: v1Text(m.swapHardLimit) }),
  decode: (read) => ({
    hardLimit: bytesTextToKiB(read(HARD), HARD),
    softLimit: bytesTextToKiB(read(SOFT), SOFT),
    swapHardLimit: bytesTextToKiB(read(SWAP), SWAP),
  }),
  // The kernel demands limit <= memsw.limit at every instant: lower the limit first, raise memsw first.
  writeOrder: (current: MemTune, next: MemTune) =>
    next.hardLimit < current.hardLimit ? [SOFT, HARD, SWAP] : [SOFT, SWAP, HARD],
  oomKills(read) {
    const m = /^oom_kill (\d+)$/m.exec(read('memory.oom_control'));
    return m ? Number(m[1]) : 0;
  },
};
