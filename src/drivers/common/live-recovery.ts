import { BLKIO, MEMORY } from '../../cgroup/controllers.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { UNLIMITED } from '../../memory/params.js';
import type { CpuTune, DomainDef, MemTune } from '../../xml/domain-def.js';
import { heldCpuTune, type CpuTuneTargets } from './cpu-tune-cgroup.js';
import type { DomainStatusRecord } from './store.js';

/** Where a running domain's live values are enforced: its cgroup, and where its scheduler values go. */
export interface LiveCgroups {
  cgroup: DomainCgroup;
  /** The scheduler's cgroups (`CgroupDriverState.cpuTargets`); undefined without a cpu controller. */
  cpu?: CpuTuneTargets | undefined;
}

/** The status record's notes of what the cgroup files held when it was written, one per family. */
export type HeldNotes = Pick<DomainStatusRecord, 'cgroupLimits' | 'cgroupCpu' | 'cgroupBlkio'>;
type NoteKey = keyof HeldNotes;

/**
 * A tunable family whose live values the cgroup files keep, one file per value: a live change of it is in force
 * once the files hold it, so its status save may be deferred, and a driver that comes after (this process's
 * next refresh, a new process's reconnect) takes the change from the files.
 */
interface RecoverableFamily<T extends object> {
  /** The status record's note of what the files held at the save. */
  readonly note: NoteKey;
  /** What the files hold now, only values kept one per file; undefined when the domain has none. Throws on a read error. */
  held(run: LiveCgroups): Partial<T> | undefined;
  /** The family's values in a definition (a field absent: not set). */
  of(def: DomainDef): Partial<T>;
  /** `def` with `values` (a new object). */
  with(def: DomainDef, values: Partial<T>): DomainDef;
  /** True when a file's value and a definition's are the same after the kernel's rounding. */
  same(held: T[keyof T], defined: T[keyof T] | undefined): boolean;
  /** A record without this family's note (an older virtune): take every value from the files (else none). */
  readonly unnotedFromFiles: boolean;
}

/** The same limit once the kernel has rounded it down to a 4 KiB page (what a memory file reads back). */
function samePage(a: bigint, b: bigint | undefined): boolean {
  return a === b || (b !== undefined && a < UNLIMITED && b < UNLIMITED && a / 4n === b / 4n);
}

const MEMORY_RECOVERY: RecoverableFamily<MemTune> = {
  note: 'cgroupLimits',
  held: ({ cgroup }) => cgroup.tunables(MEMORY).read(),
  of: (def) => def.memtune,
  // Only ever given `of(def)` with some fields replaced: a whole MemTune.
  with: (def, memtune) => ({ ...def, memtune: memtune as MemTune }),
  same: samePage,
  // Records before the notes were written kept live limit changes in the files only.
  unnotedFromFiles: true,
};

const CPU_RECOVERY: RecoverableFamily<CpuTune> = {
  note: 'cgroupCpu',
  held: ({ cpu }) => (cpu ? heldCpuTune(cpu) : undefined),
  of: (def) => def.cputune ?? {},
  with: (def, cputune) => ({ ...def, cputune }),
  same: (a, b) => a === b,
  // Records before the notes were written were saved at every live scheduler change.
  unnotedFromFiles: false,
};

/** Only the weight: device values are keyed by device number in the files, by path in the definition. */
const BLKIO_RECOVERY: RecoverableFamily<{ weight: number }> = {
  note: 'cgroupBlkio',
  held: ({ cgroup }) => {
    if (!cgroup.has(BLKIO)) return undefined;
    const { weight } = cgroup.tunables(BLKIO).read();
    return weight ? { weight } : {};
  },
  of: (def) => (def.blkiotune?.weight === undefined ? {} : { weight: def.blkiotune.weight }),
  with: (def, { weight }) => ({ ...def, blkiotune: { devices: def.blkiotune?.devices ?? [], ...(weight === undefined ? {} : { weight }) } }),
  same: (a, b) => a === b,
  unnotedFromFiles: false,
};

/** Every family whose live changes may be saved behind the caller. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const RECOVERABLE: readonly RecoverableFamily<any>[] = [MEMORY_RECOVERY, CPU_RECOVERY, BLKIO_RECOVERY];

/**
 * The notes a status record keeps of what the files hold now (read, not remembered: another process may have
 * written them, and the kernel's rounding is in them); a family whose files cannot be read (the cgroup is going
 * away) is left out. Values as decimal strings: JSON has no bigint.
 */
export function noteHeld(run: LiveCgroups): HeldNotes {
  const notes: Record<string, Record<string, string>> = {};
  for (const family of RECOVERABLE) {
    try {
      const held = family.held(run);
      if (held) notes[family.note] = Object.fromEntries(Object.entries(held).map(([f, v]) => [f, String(v)]));
    } catch {
      /* not noted: nothing of it is taken from the files later */
    }
  }
  return notes as HeldNotes;
}

/**
 * `live` with every value taken from the files that they hold differently both from the status record's note of
 * them (so they changed after that save: a live change whose save was deferred, or lost with the process that
 * made it) and from `live` itself (beyond the kernel's rounding). Values the files still hold as noted keep
 * `live`'s, so a value a start set implicitly (LXC's hard limit from `<memory>`, the kernel's default period)
 * does not enter the live definition. The same object when nothing differs.
 */
export function withHeldValues(live: DomainDef, record: DomainStatusRecord, run: LiveCgroups): DomainDef {
  let out = live;
  for (const family of RECOVERABLE) {
    const noted = record[family.note] as Partial<Record<string, string | number>> | undefined;
    let held: Record<string, unknown> | undefined;
    try {
      // Read even when nothing is taken from it: the handles then remember what the files hold now.
      held = family.held(run);
    } catch {
      continue;
    }
    if (!held || (noted === undefined && !family.unnotedFromFiles)) continue;
    const defined = family.of(out);
    let next: Record<string, unknown> | undefined;
    for (const [field, now] of Object.entries(held)) {
      if (now === undefined || String(now) === String(noted?.[field]) || family.same(now, defined[field])) continue;
      next ??= { ...defined };
      next[field] = now;
    }
    if (next) out = family.with(out, next);
  }
  return out;
}
