import { readdirSync } from 'node:fs';
import { CPU, CPUACCT } from '../../cgroup/controllers.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { applyTogether } from '../../cgroup/tunables.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { cpuTuneSteps, type CpuTuneTargets } from '../common/cpu-tune-cgroup.js';
import type { QmpClient } from './qmp-client.js';

/**
 * libvirt's cgroup layout of a QEMU domain: under the domain's cgroup, `emulator/` holds QEMU's threads but the
 * vCPUs, and `vcpuN/` holds vCPU N's thread, in the cpu and cpuacct hierarchies (memory and blkio stay whole at
 * the domain). So `vcpu_*` limit each vCPU, `emulator_*` the rest of QEMU, `global_*` and `cpu_shares` the
 * whole domain.
 */
export interface QemuCgroupLayout {
  readonly domain: DomainCgroup;
  readonly emulator: DomainCgroup;
  /** By vCPU index. */
  readonly vcpus: readonly DomainCgroup[];
}

/** The hierarchies the thread groups are made in: those of cpu and cpuacct that the domain's cgroup spans. */
function threadSpecs(domain: DomainCgroup): (typeof CPU | typeof CPUACCT)[] {
  return [CPU, CPUACCT].filter((s) => domain.has(s));
}

/** The layout's cgroups for a domain with `vcpus` vCPUs (not created); undefined without a cpu controller. */
export function qemuCgroupLayout(domain: DomainCgroup, vcpus: number): QemuCgroupLayout | undefined {
  if (!domain.has(CPU)) return undefined;
  const specs = threadSpecs(domain);
  return {
    domain,
    emulator: domain.threadGroup('emulator', specs),
    vcpus: Array.from({ length: vcpus }, (_, i) => domain.threadGroup(`vcpu${i}`, specs)),
  };
}

/** vCPU index → thread id, from QMP `query-cpus-fast` (libvirt's qemuMonitorGetCPUInfo). */
export async function vcpuThreads(qmp: QmpClient): Promise<Map<number, number>> {
  const reply = await qmp.execute('query-cpus-fast');
  const threads = new Map<number, number>();
  for (const cpu of Array.isArray(reply) ? reply : []) {
    const entry = cpu as { 'cpu-index'?: unknown; 'thread-id'?: unknown };
    const index = Number(entry['cpu-index']);
    const tid = Number(entry['thread-id']);
    if (!Number.isInteger(index) || !Number.isInteger(tid) || tid <= 0) {
      throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, 'query-cpus-fast reply was missing cpu data');
    }
    threads.set(index, tid);
  }
  return threads;
}

/** The thread ids of process `pid` (/proc/PID/task). */
function threadsOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map(Number);
}

/**
 * Puts QEMU process `pid`'s threads into libvirt's layout (as libvirt does before resuming the guest): creates
 * `emulator/` and one `vcpuN/` per vCPU thread QMP reports, moves every thread that is no vCPU into `emulator/`
 * and each vCPU thread into its `vcpuN/`. Threads QEMU starts later inherit their creator's group. Undefined
 * when the domain's cgroup spans no cpu controller.
 */
export async function placeQemuThreads(domain: DomainCgroup, qmp: QmpClient, pid: number): Promise<QemuCgroupLayout | undefined> {
  const vcpus = await vcpuThreads(qmp);
  const layout = qemuCgroupLayout(domain, vcpus.size);
  if (layout === undefined) return undefined;
  layout.emulator.create();
  const vcpuTids = new Set(vcpus.values());
  for (const tid of threadsOf(pid)) if (!vcpuTids.has(tid)) layout.emulator.addThread(tid);
  for (const [index, tid] of vcpus) {
    const group = layout.vcpus[index];
    if (group === undefined) throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, `vCPU index ${index} out of range`);
    group.create();
    group.addThread(tid);
  }
  return layout;
}

/**
 * Where a QEMU domain's scheduler values go: the domain's cgroup and, once its threads are placed (`emulator/`
 * exists), its thread groups; before that (a start, before QEMU runs) no vCPU group. Needs no QMP, so a process
 * that reconnects finds it too. Undefined without a cpu controller.
 */
export function qemuCpuTuneTargets(domain: DomainCgroup, vcpus: number): CpuTuneTargets | undefined {
  const layout = qemuCgroupLayout(domain, vcpus);
  if (layout === undefined) return undefined;
  if (!layout.emulator.exists()) return { domain, vcpus: [] };
  return { domain, vcpus: layout.vcpus, emulator: layout.emulator };
}

/** How many vCPU threads QEMU runs for `def` (`-smp`: the current count). */
export function vcpuThreadCount(def: DomainDef): number {
  return def.vcpu.current ?? def.vcpu.count;
}

/**
 * Right after QEMU started (paused): its threads placed into libvirt's layout, then `<cputune>`'s vCPU and
 * emulator values written into the groups (the domain's own were written with the cgroup).
 */
export async function placeThreadsAndTune(domain: DomainCgroup, qmp: QmpClient, pid: number, def: DomainDef): Promise<void> {
  const layout = await placeQemuThreads(domain, qmp, pid);
  if (layout === undefined || def.cputune === undefined) return;
  applyTogether(cpuTuneSteps({ domain, vcpus: layout.vcpus, emulator: layout.emulator }, def.cputune));
}
