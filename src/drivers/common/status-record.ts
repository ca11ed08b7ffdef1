import type { HostCgroups } from '../../cgroup/controller.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { DomainState } from '../../flags.js';
import type { DomainDef } from '../../xml/domain-def.js';
import type { DefinitionSavers } from './definition-change.js';
import type { DomainLocks } from './domain-lock.js';
import type { DomainObject } from './domain-objects.js';
import { formatDriverDomainXML } from './domain-xml.js';
import { StatusWriteBehind } from './status-write-behind.js';
import { noteHeld, type LiveCgroups } from './live-recovery.js';
import type { DomainStatusRecord, DomainStore } from './store.js';

/** The process that is a running domain, and the cgroups that hold it. */
export interface RunningProcess extends LiveCgroups {
  pid: number;
  pidStartTime: string;
  /** OOM kills counted in the cgroup at start. */
  oomKillsAtStart: number;
}

/** The status record of a running domain with live definition `live`: what a later process needs to find it again. */
export function runningStatusRecord(obj: DomainObject, live: DomainDef, proc: RunningProcess): DomainStatusRecord {
  return {
    liveXml: formatDriverDomainXML(live, false),
    id: obj.id,
    pid: proc.pid,
    pidStartTime: proc.pidStartTime,
    cgroup: proc.cgroup.relPath,
    state: DomainState.RUNNING,
    reason: obj.reason,
    oomKillsAtStart: proc.oomKillsAtStart,
    ...noteHeld(proc),
  };
}

/** The cgroup a status record names (records from before cgroups were recorded: the domain's default one). */
export function statusCgroup(
  controller: HostCgroups,
  name: string,
  cgroupDriverName: string,
  status: DomainStatusRecord,
): DomainCgroup {
  return controller.fromRelPath(status.cgroup ?? controller.domain(name, cgroupDriverName).relPath);
}

/** {@link DefinitionSavers} of a {@link DomainStore}, with the write-behind of live limit changes. */
export interface StoreSavers extends DefinitionSavers {
  deferLive(obj: DomainObject): void;
  /** Saves every deferred status now (on close); returns the failures. */
  flushDeferred(): Promise<unknown[]>;
}

/**
 * The savers of a driver that keeps definitions in a {@link DomainStore}: the persistent definition as its
 * inactive XML, the live one inside the status record of the running domain (`status` answers undefined when
 * the domain does not run, and nothing is saved). Live changes the cgroup files keep ({@link noteHeld}) are saved behind the caller
 * ({@link StatusWriteBehind}, under `locks`, after `refresh`); an immediate save of a domain supersedes its
 * deferred one.
 */
export function storeSavers(
  store: DomainStore,
  locks: DomainLocks,
  status: (obj: DomainObject, live: DomainDef) => DomainStatusRecord | undefined,
  refresh?: (obj: DomainObject) => Promise<void>,
): StoreSavers {
  const behind = new StatusWriteBehind(store, locks, (obj) => obj.live && status(obj, obj.live), undefined, refresh);
  return {
    saveLive: (obj, def) => {
      behind.cancel(obj);
      const record = status(obj, def);
      return record ? store.saveStatus(obj.name, record) : Promise.resolve();
    },
    saveConfig: (obj, def) => store.saveConfig(obj.name, formatDriverDomainXML(def, true)),
    deferLive: (obj) => behind.schedule(obj),
    flushDeferred: () => behind.flushAll(),
  };
}
