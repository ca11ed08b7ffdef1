import { readFile } from 'node:fs/promises';

/** One mapping of /proc/PID/smaps, the fields the overhead estimate needs. */
export interface SmapsMapping {
  anonymous: boolean;
  sizeKiB: number;
  rssKiB: number;
}

/** The mappings of an smaps text. */
export function parseSmaps(text: string): SmapsMapping[] {
  const out: SmapsMapping[] = [];
  let cur: SmapsMapping | undefined;
  for (const line of text.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (header) {
      cur = { anonymous: header[1] === '0' && header[2] === '', sizeKiB: 0, rssKiB: 0 };
      out.push(cur);
      continue;
    }
    const field = /^(Size|Rss):\s+(\d+) kB$/.exec(line);
    if (field && cur) {
      if (field[1] === 'Size') cur.sizeKiB = Number(field[2]);
      else cur.rssKiB = Number(field[2]);
    }
  }
  return out;
}

/**
 * How much of the guest's RAM is resident, KiB: the Rss of QEMU's RAM block, an anonymous mapping exactly the
 * size of `<memory>` (QEMU may round the mapping up to a 2 MiB boundary). Undefined when no mapping fits.
 */
export function guestRamRssKiB(mappings: readonly SmapsMapping[], memoryKiB: number): number | undefined {
  const candidates = mappings.filter((m) => m.anonymous && m.sizeKiB >= memoryKiB && m.sizeKiB <= memoryKiB + 2048);
  if (candidates.length === 0) return undefined;
  return Math.max(...candidates.map((m) => m.rssKiB));
}

/**
 * QEMU's own memory, KiB: what its cgroup is charged minus the guest RAM it holds. This is what a hard limit must
 * leave on top of the guest's target, or the process is OOM-killed for its translation cache and device state.
 * Without a recognisable RAM block every charged page counts as overhead, the safe side for a limit.
 */
export async function measureOverheadKiB(pid: number, memoryKiB: bigint, usageKiB: bigint): Promise<bigint> {
  let ram: bigint;
  try {
    ram = BigInt(guestRamRssKiB(parseSmaps(await readFile(`/proc/${pid}/smaps`, 'utf8')), Number(memoryKiB)) ?? 0);
  } catch {
    ram = 0n;
  }
  return usageKiB > ram ? usageKiB - ram : 0n;
}
