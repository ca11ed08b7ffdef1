import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, VirError } from '../../errors.js';
import { UNLIMITED } from '../../memory/params.js';
import type { DomainDef, MemTune } from '../../xml/domain-def.js';
import type { DomainObject, DomainObjectList } from './domain-objects.js';
import { recordedLimit, type DomainStatusRecord, type DomainStore } from './store.js';
import { MEMORY } from '../../cgroup/controllers.js';

/** The process a driver believes is a running domain, and its cgroup. */
export interface KnownRun {
  pid: number;
  pidStartTime: string;
  cgroup: DomainCgroup;
}

/** What {@link refreshFromFiles} needs of a driver. */
export interface RefreshHost {
  store: DomainStore;
  domains: DomainObjectList;
  /** The driver's XML parser (no schema validation: the files were validated when written). */
  parseXML(xml: string): DomainDef;
  /** The run this process knows of `obj`; undefined when it thinks `obj` is not running. */
  knownRun(obj: DomainObject): KnownRun | undefined;
  /**
   * The status file names another run than this process knows (another process stopped, started or restarted
   * the domain): forget the old run, and adopt `record`'s if its process still runs (else clean up after it).
   */
  resync(obj: DomainObject, record: DomainStatusRecord | undefined): Promise<void>;
}

/** The same limit once the kernel has rounded it down to a 4 KiB page (what a cgroup file reads back). */
function samePage(a: bigint, b: bigint): boolean {
  return a === b || (a < UNLIMITED && b < UNLIMITED && a / 4n === b / 4n);
}

/**
 * Brings `obj` up to date with its files, with its locks held, before a change is computed from it: another
 * process may have changed the persistent definition, the status record (the live definition, and what lives
 * only there: min_guarantee on cgroup v1) or the cgroup itself (a live change whose status save it deferred).
 * Files this process wrote or read last are not parsed again. After this, a read-modify-write of `obj` starts
 * from what the files say, never from a stale copy.
 *
 * @throws VirError NO_DOMAIN when another process undefined the (inactive) domain.
 */
export async function refreshFromFiles(obj: DomainObject, host: RefreshHost): Promise<void> {
  await refreshConfig(obj, host);
  await refreshLive(obj, host);
}

async function refreshConfig(obj: DomainObject, host: RefreshHost): Promise<void> {
  const { text, changed } = await host.store.readFresh(host.store.configPath(obj.name));
  if (!changed) return;
  if (text !== undefined) {
    obj.config = host.parseXML(text);
    return;
  }
  if (!obj.persistent) return;
  obj.config = undefined;
  if (obj.active) return;
  host.domains.remove(obj);
  throw new VirError(ErrorCode.NO_DOMAIN, host.store.options.errorDomain, `no domain with matching uuid '${obj.uuid}' (${obj.name})`);
}

async function refreshLive(obj: DomainObject, host: RefreshHost): Promise<void> {
  const run = host.knownRun(obj);
  const { text, changed } = await host.store.readFresh(host.store.statusPath(obj.name));
  let record: DomainStatusRecord | undefined;
  try {
    record = text === undefined ? undefined : (JSON.parse(text) as DomainStatusRecord);
  } catch {
    record = undefined;
  }
  if (!run || !record || record.pid !== run.pid || record.pidStartTime !== run.pidStartTime) {
    if (run || record) await host.resync(obj, record);
    return;
  }
  let live = obj.def('live');
  if (changed) {
    live = host.parseXML(record.liveXml);
    live.id = obj.id;
  }
  const memtune = heldMemTune(live.memtune, record, run.cgroup);
  if (changed || memtune !== live.memtune) obj.live = { ...live, memtune };
}

/**
 * `memtune` with every limit the cgroup files hold differently from both the status record's note of them
 * (so they changed after that save) and `memtune` itself (beyond the kernel's rounding) taken from the files:
 * a live change another process made and has not saved yet. The same object when nothing differs.
 */
function heldMemTune(memtune: MemTune, record: DomainStatusRecord, cgroup: DomainCgroup): MemTune {
  let held: Partial<MemTune>;
  try {
    held = cgroup.tunables(MEMORY).read();
  } catch {
    return memtune;
  }
  let out = memtune;
  for (const field of cgroup.tunables(MEMORY).files.fields) {
    const now = held[field];
    if (now === undefined || now === recordedLimit(record, field) || samePage(now, memtune[field])) continue;
    if (out === memtune) out = { ...memtune };
    out[field] = now;
  }
  return out;
}
