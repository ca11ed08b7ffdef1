import { ErrorCode, VirError } from '../../errors.js';
import type { DomainDef } from '../../xml/domain-def.js';
import type { DomainObject, DomainObjectList } from './domain-objects.js';
import { withHeldValues, type LiveCgroups } from './live-recovery.js';
import type { DomainStatusRecord, DomainStore } from './store.js';

/** The process a driver believes is a running domain, and its cgroups. */
export interface KnownRun extends LiveCgroups {
  pid: number;
  pidStartTime: string;
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

/**
 * Brings `obj` up to date with its files, with its locks held, before a change is computed from it: another
 * process may have changed the persistent definition, the status record (the live definition, and what lives
 * only there: min_guarantee on cgroup v1) or the cgroup files themselves (a live change whose status save it
 * deferred: {@link withHeldValues}).
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
  const held = withHeldValues(live, record, run);
  if (changed || held !== live) obj.live = held;
}
