import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import type { MemoryParamName } from '../../memory/params.js';
import type { MemTuneUpdate } from '../../memory/validate.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import type { DomainDef, MemTune } from '../../xml/domain-def.js';
import type { ResolvedAffect } from './affect.js';
import type { DomainObject } from './domain-objects.js';
import { MEMORY_TUNABLES } from './memory-family.js';
import { applyTunableUpdate, knownLiveValues, liveValues, setTunableParameters, type TuneContext } from './tunable-family.js';

/** What the shared memtune path needs from a driver: {@link TuneContext} with memory's parameter names. */
export type MemtuneContext = TuneContext<MemoryParamName>;

/**
 * The live memtune of a running domain: the definition's, overlaid with what the kernel actually holds (values
 * rounded to pages, or changed by setMemory), as libvirt's getMemoryParameters reads them.
 */
export function liveMemTune(def: DomainDef, cgroup: DomainCgroup | undefined): MemTune {
  return liveValues(MEMORY_TUNABLES, def, cgroup);
}

/**
 * The live memtune a change is planned against: the definition's, overlaid with the limits the cgroup last
 * read or wrote, so planning reads no cgroup file.
 */
export function knownLiveMemTune(def: DomainDef, cgroup: DomainCgroup | undefined): MemTune {
  return knownLiveValues(MEMORY_TUNABLES, def, cgroup);
}

/** A memtune change, all or nothing: {@link applyTunableUpdate} for {@link MEMORY_TUNABLES}. */
export async function applyMemTuneUpdate(obj: DomainObject, update: MemTuneUpdate, affect: ResolvedAffect, ctx: MemtuneContext): Promise<void> {
  await applyTunableUpdate(MEMORY_TUNABLES, obj, update, affect, ctx);
}

/**
 * virDomainSetMemoryParameters for a driver that enforces limits through a cgroup (LXC, QEMU):
 * {@link setTunableParameters} for {@link MEMORY_TUNABLES}. Returns the parameters applied, for the tunable event.
 *
 * @param fn the driver function named in flag errors (`lxcDomainSetMemoryParameters`).
 */
export function setMemoryParameters(
  obj: DomainObject,
  params: readonly TypedParameterInput[],
  flags: number,
  ctx: MemtuneContext,
  fn: string,
): Promise<TypedParameter[]> {
  return setTunableParameters(MEMORY_TUNABLES, obj, params, flags, ctx, fn);
}
