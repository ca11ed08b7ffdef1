import { checkFlags, type ErrorDomain } from '../../errors.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { publicName } from '../../entry-points.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../flags.js';
import { memTuneUpdateToParams, mergeMemTune, parseMemoryParams, type MemTuneUpdate } from '../../memory/validate.js';
import type { MemoryParamName } from '../../memory/params.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import { checkTypedParamCount } from '../../typed-params/validate.js';
import type { DomainDef, MemTune } from '../../xml/domain-def.js';
import { resolveAffect, type ResolvedAffect } from './affect.js';
import { commitDefinitionChange, type DefinitionSavers } from './definition-change.js';
import type { DomainObject } from './domain-objects.js';
import { MEMORY } from '../../cgroup/controllers.js';

/** What the shared memtune path needs from a driver. */
export interface MemtuneContext extends DefinitionSavers {
  /** The driver's error domain (LXC, QEMU). */
  errorDomain: ErrorDomain;
  /** The parameters the driver accepts (e.g. hard, soft, swap on cgroup v1). */
  supported: readonly MemoryParamName[];
  /** The running domain's memory cgroup, where live limits are enforced; undefined when inactive. */
  cgroup: DomainCgroup | undefined;
}

/**
 * The live memtune of a running domain: the definition's, overlaid with what the kernel actually holds (values
 * rounded to pages, or changed by setMemory), as libvirt's getMemoryParameters reads them.
 */
export function liveMemTune(def: DomainDef, cgroup: DomainCgroup | undefined): MemTune {
  return cgroup ? { ...def.memtune, ...cgroup.tunables(MEMORY).read() } : def.memtune;
}

/**
 * The live memtune a change is planned against: the definition's, overlaid with the limits the cgroup last
 * read or wrote ({@link DomainCgroup.knownLimits}), so planning reads no cgroup file.
 */
export function knownLiveMemTune(def: DomainDef, cgroup: DomainCgroup | undefined): MemTune {
  return cgroup ? { ...def.memtune, ...cgroup.tunables(MEMORY).known() } : def.memtune;
}

/**
 * Applies a memtune change to the definitions `affect` names, all or nothing: both merged results are validated
 * (hard ≤ swap on each definition being changed, never on the other), then the cgroup transaction runs, then
 * the definitions are saved; a failure anywhere rolls every earlier step back. The cgroup is written, in
 * libvirt's order, only where a limit changes or the update names it, and read only for the undo log of the
 * files written. When the cgroup keeps every limit the update names, the live definition's save is deferred
 * ({@link DefinitionSavers.deferLive}): the cgroup files are what a reconnecting driver rebuilds it from.
 */
export async function applyMemTuneUpdate(
  obj: DomainObject,
  update: MemTuneUpdate,
  affect: ResolvedAffect,
  ctx: MemtuneContext,
): Promise<void> {
  const live = affect.live ? obj.def('live') : undefined;
  const config = affect.config ? obj.def('config') : undefined;
  const cgroup = ctx.cgroup;
  const nextLive = live ? mergeMemTune(knownLiveMemTune(live, cgroup), update, ctx.errorDomain) : undefined;
  const nextConfig = config ? mergeMemTune(config.memtune, update, ctx.errorDomain) : undefined;
  const touched = Object.keys(update) as (keyof MemTune)[];
  // Range checks of the cgroup backend happen while planning, before the first write.
  const plan = nextLive && cgroup ? cgroup.tunables(MEMORY).plan(nextLive, touched) : undefined;
  await commitDefinitionChange(
    obj,
    {
      ...(live && nextLive ? { live: { ...live, memtune: nextLive } } : {}),
      ...(config && nextConfig ? { config: { ...config, memtune: nextConfig } } : {}),
      ...(plan && cgroup
        ? {
            applyLive: () => cgroup.tunables(MEMORY).apply(nextLive!, plan),
            liveRecoverable: touched.every((f) => cgroup.tunables(MEMORY).files.fields.includes(f)),
          }
        : {}),
    },
    ctx,
  );
}

/**
 * virDomainSetMemoryParameters for a driver that enforces limits through a cgroup (LXC, QEMU): flags checked,
 * parameters validated (shared rules), CURRENT/LIVE/CONFIG resolved, then {@link applyMemTuneUpdate}.
 * Returns the parameters applied, for the driver's tunable event.
 *
 * @param fn the driver function named in flag errors (`lxcDomainSetMemoryParameters`).
 */
export async function setMemoryParameters(
  obj: DomainObject,
  params: readonly TypedParameterInput[],
  flags: number,
  ctx: MemtuneContext,
  fn: string,
): Promise<TypedParameter[]> {
  // libvirt's public entry point refuses an empty list before the driver looks at its flags.
  checkTypedParamCount(params, publicName('domainSetMemoryParameters'));
  checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, fn, ctx.errorDomain);
  const update = parseMemoryParams(params, ctx.supported, ctx.errorDomain);
  const affect = resolveAffect(obj, flags);
  await applyMemTuneUpdate(obj, update, affect, ctx);
  return memTuneUpdateToParams(update);
}
