import { BLKIO } from '../../cgroup/controllers.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import type { TunablesStep } from '../../cgroup/tunables.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { blkioTuneToCgroupValues } from './blkiotune-apply.js';
import { cpuTuneSteps, type CpuTuneTargets } from './cpu-tune-cgroup.js';

/**
 * What a start writes into a new domain cgroup besides memory: `<cputune>` where `cpu` says (at start QEMU's
 * thread groups do not exist yet: their values follow once the threads are placed) and `<blkiotune>` (a device
 * path that is no block device fails the start, as in libvirt). Values the definition leaves unset keep the
 * kernel's defaults.
 */
export function startTuneSteps(cpu: CpuTuneTargets | undefined, cgroup: DomainCgroup, def: DomainDef): TunablesStep[] {
  const domainOnly = cpu?.vcpus ? { domain: cpu.domain, vcpus: [] } : cpu;
  return [
    ...(domainOnly && def.cputune ? cpuTuneSteps(domainOnly, def.cputune) : []),
    ...(cgroup.has(BLKIO) && def.blkiotune ? [{ tunables: cgroup.tunables(BLKIO), next: blkioTuneToCgroupValues(def.blkiotune) }] : []),
  ];
}
