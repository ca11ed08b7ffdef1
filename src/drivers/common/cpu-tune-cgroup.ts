import { CPU } from '../../cgroup/controllers.js';
import type { CpuValues } from '../../cgroup/cpu-values.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import type { TunablesStep } from '../../cgroup/tunables.js';
import type { CpuTune } from '../../xml/domain-def.js';

/**
 * Where a running domain's scheduler values are enforced: its cgroup, and for QEMU the thread groups of
 * libvirt's layout (`vcpuN/`, `emulator/`). Without thread groups (LXC) the vCPU values are the whole domain's,
 * as in libvirt's LXC driver.
 */
export interface CpuTuneTargets {
  readonly domain: DomainCgroup;
  /** QEMU: one per vCPU. */
  readonly vcpus?: readonly DomainCgroup[];
  /** QEMU: the emulator threads. */
  readonly emulator?: DomainCgroup;
}

/** A value libvirt applies live: set and not 0 (0 passes the range check but changes nothing live). */
function given<T extends bigint>(v: T | undefined): v is T {
  return v !== undefined && v !== 0n;
}

/** The period and quota of a bandwidth that apply live, stored into `into` (plain stores: this runs on every live change). */
function addBandwidth(into: Partial<CpuValues>, period: bigint | undefined, quota: bigint | undefined): Partial<CpuValues> {
  if (given(period)) into.period = period;
  if (given(quota)) into.quota = quota;
  return into;
}

/**
 * The cgroup changes that enforce `tune` (libvirt's qemuDomainSetSchedulerParametersFlags and the start-up
 * qemuSetupCputuneCgroup): `cpu_shares` and `global_*` to the domain's cgroup, `vcpu_*` to each `vcpuN/` (the
 * domain's cgroup without thread groups), `emulator_*` to `emulator/`. `iothread_*` has no group (no I/O threads
 * are started) and writes nothing, as in libvirt for a domain without I/O threads. Steps with nothing to write
 * are left out; each step's plan writes only the files whose value changes.
 */
export function cpuTuneSteps(targets: CpuTuneTargets, tune: CpuTune): TunablesStep[] {
  const steps: TunablesStep[] = [];
  const add = (cgroup: DomainCgroup | undefined, next: Partial<CpuValues>): void => {
    if (cgroup && (next.shares !== undefined || next.period !== undefined || next.quota !== undefined)) {
      steps.push({ tunables: cgroup.tunables(CPU), next });
    }
  };
  const threaded = targets.vcpus !== undefined;
  const domain: Partial<CpuValues> = {};
  if (given(tune.shares)) domain.shares = tune.shares;
  add(targets.domain, threaded ? addBandwidth(domain, tune.globalPeriod, tune.globalQuota) : addBandwidth(domain, tune.period, tune.quota));
  for (const vcpu of targets.vcpus ?? []) add(vcpu, addBandwidth({}, tune.period, tune.quota));
  if (targets.emulator) add(targets.emulator, addBandwidth({}, tune.emulatorPeriod, tune.emulatorQuota));
  return steps;
}

/**
 * The scheduler values the cgroups hold, as libvirt's getter reports them live: shares and `global_*` from the
 * domain's cgroup, `vcpu_*` from `vcpu0/` (the domain's without thread groups), `emulator_*` from `emulator/`,
 * and `iothread_*` from the domain's cgroup (a domain without I/O threads: libvirt's qemuGetIOThreadsBWLive).
 * `how` picks the files (`read`) or what the handles last wrote (`known`, which reads only what they never knew).
 */
export function cpuTuneOf(targets: CpuTuneTargets, how: 'read' | 'known'): CpuTune {
  const values = (cg: DomainCgroup): Partial<CpuValues> => (how === 'read' ? cg.tunables(CPU).read() : cg.tunables(CPU).known());
  const domain = values(targets.domain);
  const vcpu = targets.vcpus?.[0] ? values(targets.vcpus[0]) : domain;
  const emulator = targets.emulator ? values(targets.emulator) : domain;
  // Plain stores, not conditional spreads: this runs on every live change and spreads of literals are slow.
  const tune: CpuTune = {};
  if (domain.shares !== undefined) tune.shares = domain.shares;
  if (vcpu.period !== undefined) tune.period = vcpu.period;
  if (vcpu.quota !== undefined) tune.quota = vcpu.quota;
  if (emulator.period !== undefined) tune.emulatorPeriod = emulator.period;
  if (emulator.quota !== undefined) tune.emulatorQuota = emulator.quota;
  if (domain.period !== undefined) tune.globalPeriod = tune.iothreadPeriod = domain.period;
  if (domain.quota !== undefined) tune.globalQuota = tune.iothreadQuota = domain.quota;
  return tune;
}

/**
 * The scheduler values each kept in a file of their own in `targets`: shares and the vCPU bandwidth without
 * thread groups (LXC); with them (QEMU) shares and `global_*` in the domain's cgroup, `vcpu_*` in `vcpuN/` and
 * `emulator_*` in `emulator/` when those groups exist. `iothread_*` never (no I/O thread groups: it reads the
 * domain's). A live change of only these is recoverable from the files.
 */
export function distinctCpuFields(targets: CpuTuneTargets): (keyof CpuTune)[] {
  if (targets.vcpus === undefined) return ['shares', 'period', 'quota'];
  return [
    'shares',
    'globalPeriod',
    'globalQuota',
    ...(targets.vcpus.length > 0 ? (['period', 'quota'] as const) : []),
    ...(targets.emulator ? (['emulatorPeriod', 'emulatorQuota'] as const) : []),
  ];
}

/** The {@link distinctCpuFields} values the files hold now (read). */
export function heldCpuTune(targets: CpuTuneTargets): CpuTune {
  const all = cpuTuneOf(targets, 'read');
  const held: CpuTune = {};
  for (const f of distinctCpuFields(targets)) if (all[f] !== undefined) held[f] = all[f];
  return held;
}
