import type { MemoryController } from '../../cgroup/controller.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { DomainState } from '../../flags.js';
import type { DomainDef } from '../../xml/domain-def.js';
import type { DefinitionSavers } from './definition-change.js';
import type { DomainObject } from './domain-objects.js';
import { formatDriverDomainXML } from './domain-xml.js';
import type { DomainStatusRecord, DomainStore } from './store.js';

/** The process that is a running domain, and the cgroup that holds it. */
export interface RunningProcess {
  pid: number;
  pidStartTime: string;
  cgroup: DomainCgroup;
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
  };
}

/** The cgroup a status record names (records from before cgroups were recorded: the domain's default one). */
export function statusCgroup(
  controller: MemoryController,
  name: string,
  cgroupDriverName: string,
  status: DomainStatusRecord,
): DomainCgroup {
  return controller.fromRelPath(status.cgroup ?? controller.domain(name, cgroupDriverName).relPath);
}

/**
 * The savers of a driver that keeps definitions in a {@link DomainStore}: the persistent definition as its
 * inactive XML, the live one inside the status record of the running domain (`status` answers undefined when
 * the domain does not run, and nothing is saved).
 */
export function storeSavers(
  store: DomainStore,
  status: (obj: DomainObject, live: DomainDef) => DomainStatusRecord | undefined,
): DefinitionSavers {
  return {
    saveLive: (obj, def) => {
      const record = status(obj, def);
      return record ? store.saveStatus(obj.name, record) : Promise.resolve();
    },
    saveConfig: (obj, def) => store.saveConfig(obj.name, formatDriverDomainXML(def, true)),
  };
}
