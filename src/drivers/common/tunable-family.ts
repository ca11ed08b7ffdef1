import type { ControllerSpec } from '../../cgroup/controllers.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { publicName, type DriverEntry } from '../../entry-points.js';
import { checkFlags, type ErrorDomain } from '../../errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../flags.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import { checkTypedParamCount } from '../../typed-params/validate.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { resolveAffect, type ResolvedAffect } from './affect.js';
import { commitDefinitionChange, type DefinitionChange, type DefinitionSavers } from './definition-change.js';
import type { DomainObject } from './domain-objects.js';

/**
 * One family of tunables as data (memory's memtune; next cputune, blkiotune): everything the shared tuning path
 * needs to take typed parameters to the definitions and the cgroup. A cgroup-backed driver tunes a family with
 * {@link setTunableParameters}; adding a family is one object of this shape, no new plumbing.
 *
 * @typeParam Tune the family's values as the definition holds them (`MemTune`).
 * @typeParam Name the family's typed-parameter names (`hard_limit`, ...).
 */
export interface TunableFamily<Tune extends object, Name extends string = string> {
  /** The entry that sets the family (`domainSetMemoryParameters`): its public name is in the empty-list error. */
  readonly setEntry: DriverEntry;
  /** The cgroup controller the family's live values are written to. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly controller: ControllerSpec<Tune, any, any>;
  /**
   * Typed parameters → the change they ask for: names (against `supported`), types, ranges, in libvirt's order
   * and words. Throws before anything changes.
   */
  parse(params: readonly TypedParameterInput[], supported: readonly Name[], errorDomain: ErrorDomain): Partial<Tune>;
  /** The family's values in a definition. */
  of(def: DomainDef): Tune;
  /** `def` with the family's values replaced (a new object; `def` is not modified). */
  with(def: DomainDef, values: Tune): DomainDef;
  /** `current` with `update` applied, checked across fields (memory: hard ≤ swap); throws, changing nothing. */
  merge(current: Tune, update: Partial<Tune>, errorDomain: ErrorDomain): Tune;
  /** The parameters an accepted update set, in the family's order: what the `tunable` event carries. */
  updateToParams(update: Partial<Tune>): TypedParameter[];
  /** The values as the getter reports them, for the names the driver supports. */
  toParams(values: Tune, supported: readonly Name[]): TypedParameter[];
}

/** What the shared tuning path needs of a driver for one domain. */
export interface TuneContext<Name extends string = string> extends DefinitionSavers {
  /** The driver's error domain (LXC, QEMU). */
  errorDomain: ErrorDomain;
  /** The parameter names the driver accepts for this family. */
  supported: readonly Name[];
  /** The running domain's cgroup, where live values are enforced; undefined when inactive. */
  cgroup: DomainCgroup | undefined;
}

/**
 * A running domain's values as a change is planned against them: the live definition's, overlaid with what the
 * cgroup last read or wrote (`CgroupTunables.known`), so planning reads no cgroup file.
 */
export function knownLiveValues<T extends object>(family: TunableFamily<T>, def: DomainDef, cgroup: DomainCgroup | undefined): T {
  return cgroup ? cgroup.tunables(family.controller).knownOver(family.of(def)) : family.of(def);
}

/** A running domain's values as the kernel holds them (rounded to what the files keep), for a getter. */
export function liveValues<T extends object>(family: TunableFamily<T>, def: DomainDef, cgroup: DomainCgroup | undefined): T {
  return cgroup ? { ...family.of(def), ...cgroup.tunables(family.controller).read() } : family.of(def);
}

/**
 * Applies `update` to the definitions `affect` names, all or nothing: both merged results are checked
 * ({@link TunableFamily.merge}, each on the definition it changes), the controller's writes are planned (range
 * checks before the first write), then the cgroup transaction runs and the definitions are saved; a failure
 * anywhere rolls every earlier step back. Only files whose value changes or that the update names are written.
 * When the controller's files keep every value the update names, the live save is deferred
 * ({@link DefinitionSavers.deferLive}): a reconnecting driver rebuilds the live values from the files.
 * Returns the live values the change started from (undefined when it does not affect the live definition).
 */
export async function applyTunableUpdate<T extends object>(
  family: TunableFamily<T>,
  obj: DomainObject,
  update: Partial<T>,
  affect: ResolvedAffect,
  ctx: TuneContext,
): Promise<T | undefined> {
  const { change, before } = tunableChange(family, obj, update, affect, ctx);
  await commitDefinitionChange(obj, change, ctx);
  return before;
}

/**
 * What {@link applyTunableUpdate} commits, computed and checked (nothing written yet): the definition change, and
 * the live values it starts from (undefined when it does not affect the live definition).
 */
function tunableChange<T extends object>(
  family: TunableFamily<T>,
  obj: DomainObject,
  update: Partial<T>,
  affect: ResolvedAffect,
  ctx: TuneContext,
): { change: DefinitionChange; before: T | undefined } {
  const live = affect.live ? obj.def('live') : undefined;
  const config = affect.config ? obj.def('config') : undefined;
  const cgroup = ctx.cgroup;
  const before = live ? knownLiveValues(family, live, cgroup) : undefined;
  const nextLive = before ? family.merge(before, update, ctx.errorDomain) : undefined;
  const nextConfig = config ? family.merge(family.of(config), update, ctx.errorDomain) : undefined;
  const touched = Object.keys(update) as (keyof T)[];
  const tunables = cgroup?.tunables(family.controller);
  const plan = nextLive && tunables ? tunables.plan(nextLive, touched) : undefined;
  // One shape for every change object (absent parts undefined): commitDefinitionChange's reads stay monomorphic.
  const change: DefinitionChange = {
    live: live && nextLive ? family.with(live, nextLive) : undefined,
    config: config && nextConfig ? family.with(config, nextConfig) : undefined,
    applyLive: plan && tunables ? () => tunables.apply(nextLive!, plan) : undefined,
    liveRecoverable: tunables !== undefined && touched.every((f) => tunables.files.fields.includes(f)),
  };
  return { change, before };
}

/**
 * A family's `virDomainSet*Parameters` for a cgroup-backed driver: flags checked (`fn` names the driver function
 * in flag errors), parameters parsed, CURRENT/LIVE/CONFIG resolved, then {@link applyTunableUpdate}. Returns the
 * parameters applied, for the driver's `tunable` event.
 */
export async function setTunableParameters<T extends object, N extends string>(
  family: TunableFamily<T, N>,
  obj: DomainObject,
  params: readonly TypedParameterInput[],
  flags: number,
  ctx: TuneContext<N>,
  fn: string,
): Promise<TypedParameter[]> {
  return (await tuneParameters(family, obj, params, flags, ctx, fn)).applied;
}

/** {@link setTunableParameters}, also returning the live values the change started from (when it was live). */
export async function tuneParameters<T extends object, N extends string>(
  family: TunableFamily<T, N>,
  obj: DomainObject,
  params: readonly TypedParameterInput[],
  flags: number,
  ctx: TuneContext<N>,
  fn: string,
): Promise<{ applied: TypedParameter[]; before: T | undefined }> {
  // libvirt's public entry point refuses an empty list before the driver looks at its flags.
  checkTypedParamCount(params, publicName(family.setEntry));
  checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, fn, ctx.errorDomain);
  const update = family.parse(params, ctx.supported, ctx.errorDomain);
  // applyTunableUpdate's steps inline, its commit awaited only when it has something to wait for: two async
  // layers less on every live change.
  const { change, before } = tunableChange(family as TunableFamily<T>, obj, update, resolveAffect(obj, flags), ctx);
  const committing = commitDefinitionChange(obj, change, ctx);
  if (committing) await committing;
  return { applied: family.updateToParams(update), before };
}
