import { applyTogether } from '../../cgroup/tunables.js';
import type { SchedulerType } from '../../driver.js';
import { ErrorCode, VirError, checkFlags, type ErrorDomain } from '../../errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, TYPED_PARAM_STRING_OKAY } from '../../flags.js';
import { SchedulerKind, type SchedulerParamName } from '../../scheduler/params.js';
import { checkRanges, configCpuTuneAfter, eventParamsOf, liveChangesOf, liveCpuTuneAfter, type SchedulerChange } from '../../scheduler/changes.js';
import { parseSchedulerParams, schedulerParamsOf } from '../../scheduler/validate.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import type { CpuTune } from '../../xml/domain-def.js';
import { resolveAffect, resolveAffectOne } from './affect.js';
import { cpuTuneOf, cpuTuneSteps, distinctCpuFields, type CpuTuneTargets } from './cpu-tune-cgroup.js';
import { commitDefinitionChange, definitionWith, type DefinitionChange, type DefinitionSavers, type LiveEffect } from './definition-change.js';
import type { DomainObject } from './domain-objects.js';

/** Where a running domain's scheduler values live (its cpu cgroups), as the shared path uses them. */
export interface LiveScheduler {
  /** The values the running domain holds (the files), as libvirt's live getter reports them. */
  read(): CpuTune;
  /** What it holds without reading files: what the last write left (read only where nothing is known). */
  known(): CpuTune;
  /** Makes it hold `next` (the live cputune after a change), all or nothing: undone if a later step fails. */
  apply(next: CpuTune): LiveEffect;
  /**
   * The values kept one per file ({@link distinctCpuFields}): a live change of only these is recovered from the
   * files by whoever comes next, so its status save may be deferred.
   */
  readonly recoverable: readonly (keyof CpuTune)[];
}

/** What the shared scheduler path needs from a driver (LXC, QEMU). */
export interface SchedulerContext extends DefinitionSavers {
  /** The driver's error domain. */
  errorDomain: ErrorDomain;
  /**
   * The parameters the driver accepts and reports: all nine on QEMU (`POSIX_SCHEDULER_PARAM_NAMES`), three on
   * LXC (`LXC_SCHEDULER_PARAM_NAMES`), `cpu_shares` alone without CFS bandwidth.
   */
  supported: readonly SchedulerParamName[];
  /**
   * The running domain's cpu cgroups; undefined when it is not running or the host has no cpu controller (a
   * live call then fails as libvirt's: `cgroup CPU controller is not mounted`).
   */
  live: LiveScheduler | undefined;
}

/** A running domain's scheduler values in its cgroups: cgctl's layout (`cpuTuneSteps`, `cpuTuneOf`) as one object. */
export function cgroupLiveScheduler(targets: CpuTuneTargets): LiveScheduler {
  return {
    read: () => cpuTuneOf(targets, 'read'),
    known: () => cpuTuneOf(targets, 'known'),
    apply: (next) => applyTogether(cpuTuneSteps(targets, next)),
    recoverable: distinctCpuFields(targets),
  };
}

function noCpuController(domain: ErrorDomain): VirError {
  return new VirError(ErrorCode.OPERATION_INVALID, domain, 'cgroup CPU controller is not mounted');
}

/**
 * virDomainGetSchedulerType for QEMU and LXC: `posix`, with as many parameters as the driver reports. A running
 * domain without a cpu controller is refused, as libvirt refuses it.
 */
export function getSchedulerType(obj: DomainObject, ctx: SchedulerContext): SchedulerType {
  if (obj.active && !ctx.live) throw noCpuController(ctx.errorDomain);
  return { type: SchedulerKind.POSIX, nparams: ctx.supported.length };
}

/**
 * virDomainGetSchedulerParametersFlags for QEMU and LXC: the running domain's values from its cgroups (LIVE), or
 * the persistent definition's, 0 for what is not set (CONFIG); libvirt's order, the driver's names.
 *
 * @param fn the driver function named in flag errors (`qemuDomainGetSchedulerParametersFlags`).
 */
export function getSchedulerParameters(obj: DomainObject, flags: number, ctx: SchedulerContext, fn: string): TypedParameter[] {
  checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY, fn, ctx.errorDomain);
  if (resolveAffectOne(obj, flags) === 'config') return schedulerParamsOf(obj.def('config').cputune, ctx.supported);
  if (!ctx.live) throw noCpuController(ctx.errorDomain);
  return schedulerParamsOf(ctx.live.read(), ctx.supported);
}

/**
 * virDomainSetSchedulerParametersFlags for QEMU and LXC, in libvirt's order of checks — flags, types
 * (virTypedParamsValidate), CURRENT/LIVE/CONFIG, the cpu controller for a live change, ranges — all before
 * anything changes (libvirt applies parameter by parameter; virtune all or nothing). Then one definition change:
 * the running domain's cgroups (shares, and every period or quota that is not 0), the live definition with the
 * values the cgroups now hold (saved behind the caller when the files keep every value changed: `deferLive`),
 * the persistent definition (0 unsets a period or quota there); a failure anywhere undoes the rest. Returns libvirt's TUNABLE event parameters (`cputune.*`) of the live change — none for a
 * change of the persistent definition alone, as libvirt emits none.
 */
export async function setSchedulerParameters(
  obj: DomainObject,
  params: readonly TypedParameterInput[],
  flags: number,
  ctx: SchedulerContext,
  fn: string,
): Promise<TypedParameter[]> {
  checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, fn, ctx.errorDomain);
  // The caller's list is read here, once and bounded; what follows works on this copy.
  const changes = parseSchedulerParams(params, ctx.supported);
  const affect = resolveAffect(obj, flags);
  const live = affect.live ? ctx.live : undefined;
  if (affect.live && !live) throw noCpuController(ctx.errorDomain);
  checkRanges(changes, ctx.errorDomain);

  const liveDef = live ? obj.def('live') : undefined;
  const configDef = affect.config ? obj.def('config') : undefined;
  const liveChanges = liveChangesOf(changes);
  const nextLive = liveDef ? liveCpuTuneAfter(liveDef.cputune, liveChanges) : undefined;
  // One shape for every change object (absent parts undefined): commitDefinitionChange's reads stay monomorphic.
  const change: DefinitionChange = {
    live: liveDef && nextLive ? definitionWith(liveDef, 'cputune', nextLive) : undefined,
    config: configDef ? withCpuTune(configDef, configCpuTuneAfter(configDef.cputune, changes)) : undefined,
    applyLive: live && nextLive ? () => applyLiveCpuTune(live, nextLive, liveChanges) : undefined,
    // The files keep each value on its own: whoever comes next takes it from them (withHeldValues).
    liveRecoverable: live !== undefined && liveChanges.every((c) => live.recoverable.includes(c.field)),
  };
  // Awaited only when it has something to wait for (a live change saved behind the caller has not).
  const committing = commitDefinitionChange(obj, change, ctx);
  if (committing) await committing;
  return live && nextLive ? eventParamsOf(liveChanges, nextLive) : [];
}

/**
 * Makes the running domain hold `next`; `next` then takes what the kernel holds for each changed value, as
 * libvirt keeps it (the live definition is saved after this). A value kept in a file of its own holds what was
 * written; only the others (`iothread_*`, read from the domain's cgroup) are looked up.
 */
function applyLiveCpuTune(live: LiveScheduler, next: CpuTune, changes: readonly SchedulerChange[]): LiveEffect {
  const effect = live.apply(next);
  if (changes.some((c) => !live.recoverable.includes(c.field))) {
    const held = live.known();
    for (const c of changes) if (held[c.field] !== undefined) next[c.field] = held[c.field];
  }
  return effect;
}

/** `def` with `cputune` set, or without it when nothing is left. */
function withCpuTune<D extends { cputune?: CpuTune }>(def: D, cputune: CpuTune | undefined): D {
  const { cputune: _old, ...rest } = def;
  return (cputune ? { ...rest, cputune } : rest) as D;
}
