import { checkFlags, ErrorCode, VirError, type ErrorDomain } from '../../errors.js';
import { BLKIO_DEVICE_PARAM_INFO, type BlkioDeviceField } from '../../blkio/params.js';
import {
  blkioTuneToParams,
  blkioUpdateFrom,
  blkioUpdateToParams,
  isEmptyBlkioUpdate,
  mergeBlkioTune,
  validateBlkioParams,
  type BlkioUpdate,
} from '../../blkio/validate.js';
import { BLKIO } from '../../cgroup/controllers.js';
import type { BlkioDeviceValues, BlkioValues } from '../../cgroup/blkio-values.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, TYPED_PARAM_STRING_OKAY } from '../../flags.js';
import type { TypedParameter, TypedParameterInput } from '../../typed-params/types.js';
import { resolveAffect, resolveAffectOne, type ResolvedAffect } from './affect.js';
import { resolveBlkioDevice } from './blkio-device.js';
import { commitDefinitionChange, definitionWith, type DefinitionChange, type DefinitionSavers } from './definition-change.js';
import type { DomainObject } from './domain-objects.js';
import type { BlkioTune } from '../../xml/domain-def.js';

/** What the shared blkiotune path needs from a driver. */
export interface BlkiotuneContext extends DefinitionSavers {
  /** The driver's error domain (LXC, QEMU). */
  errorDomain: ErrorDomain;
  /** The running domain's cgroup, where live values are enforced; undefined when inactive. */
  cgroup: DomainCgroup | undefined;
}

/** A live change or read needs the blkio (v2: io) controller in the domain's cgroup; libvirt's words otherwise. */
function blkioOf(cgroup: DomainCgroup, errorDomain: ErrorDomain) {
  if (!cgroup.has(BLKIO)) throw new VirError(ErrorCode.OPERATION_INVALID, errorDomain, "blkio cgroup isn't mounted");
  return cgroup.tunables(BLKIO);
}

/** The cgroup layer's name of each device field (its files say bytes/ops per second, `Bps`/`Iops`). */
const CGROUP_FIELD: Readonly<Record<BlkioDeviceField, keyof BlkioDeviceValues>> = {
  weight: 'weight',
  readIopsSec: 'readIops',
  writeIopsSec: 'writeIops',
  readBytesSec: 'readBps',
  writeBytesSec: 'writeBps',
};

/** One device value into a cgroup change, under the device number its path resolves to. */
function addDeviceValue(devices: Record<string, BlkioDeviceValues>, path: string, field: BlkioDeviceField, value: bigint | number): void {
  const into = (devices[resolveBlkioDevice(path)] ??= {});
  const to = CGROUP_FIELD[field];
  if (to === 'weight') into.weight = Number(value);
  else into[to] = BigInt(value);
}

/**
 * What a blkio update asks of the cgroup (libvirt's virDomainCgroupSetupDomainBlkioParameters): the weight when
 * given, and each device's values keyed by its device number — every path resolved first
 * ({@link resolveBlkioDevice}: libvirt's errors for a missing or non-block path), a 0 kept (it removes that rule),
 * two paths of one device merged in the order given. Nothing is written.
 */
export function blkioUpdateToCgroupValues(update: BlkioUpdate): Partial<BlkioValues> {
  const devices: Record<string, BlkioDeviceValues> = {};
  for (const change of update.devices) {
    const field = BLKIO_DEVICE_PARAM_INFO[change.param].field;
    for (const { path, value } of change.values) addDeviceValue(devices, path, field, value);
  }
  // Plain stores, not conditional spreads: this runs on every live blkio change.
  const values: Partial<BlkioValues> = {};
  if (update.weight !== undefined) values.weight = update.weight;
  if (update.devices.length > 0) values.devices = devices;
  return values;
}

/**
 * A whole `<blkiotune>` as the cgroup takes it when a domain starts (libvirt's virDomainCgroupSetupBlkio): the
 * weight when set, and every value set of every device, keyed by device number (paths resolved as above).
 */
export function blkioTuneToCgroupValues(tune: BlkioTune | undefined): Partial<BlkioValues> {
  const devices: Record<string, BlkioDeviceValues> = {};
  for (const d of tune?.devices ?? []) {
    for (const { field } of Object.values(BLKIO_DEVICE_PARAM_INFO)) {
      const v = d[field];
      if (v !== undefined) addDeviceValue(devices, d.path, field, v);
    }
  }
  return {
    ...(tune?.weight === undefined ? {} : { weight: tune.weight }),
    ...(Object.keys(devices).length === 0 ? {} : { devices }),
  };
}

/**
 * Applies a blkio change to the definitions `affect` names, all or nothing: both merged results are computed
 * ({@link mergeBlkioTune}, by path as libvirt merges), the live side's paths resolved and its writes planned (range
 * checks) before anything is written, then the cgroup transaction runs, then the definitions are saved; a failure
 * anywhere rolls every earlier step back. The live definition is saved at once when devices change (the cgroup
 * files hold device numbers, not the paths a reconnecting driver would need); a change of the weight alone is
 * saved behind the caller (`deferLive`), as the weight file keeps it (`withHeldValues`).
 *
 * @throws VirError OPERATION_INVALID `blkio cgroup isn't mounted` (libvirt's words) for a live change when the
 *   domain's cgroup has no blkio/io controller.
 */
export async function applyBlkioUpdate(
  obj: DomainObject,
  update: BlkioUpdate,
  affect: ResolvedAffect,
  ctx: BlkiotuneContext,
): Promise<void> {
  const live = affect.live ? obj.def('live') : undefined;
  const config = affect.config ? obj.def('config') : undefined;
  const io = live && ctx.cgroup ? blkioOf(ctx.cgroup, ctx.errorDomain) : undefined;
  const change = io ? blkioUpdateToCgroupValues(update) : undefined;
  // Range checks of the cgroup backend happen while planning, before the first write.
  const plan = change && io ? io.plan(change, Object.keys(change) as (keyof BlkioValues)[]) : undefined;
  const applying = change !== undefined && io !== undefined && plan !== undefined;
  // One shape for every change object (absent parts undefined), as the memory and scheduler paths build theirs.
  const definitionChange: DefinitionChange = {
    live: live ? definitionWith(live, 'blkiotune', mergeBlkioTune(live.blkiotune, update)) : undefined,
    config: config ? definitionWith(config, 'blkiotune', mergeBlkioTune(config.blkiotune, update)) : undefined,
    applyLive: applying ? () => io.apply(change, plan) : undefined,
    // The weight file keeps a weight (0 writes nothing); device values need the paths only liveXml has.
    liveRecoverable: applying && update.devices.length === 0 && update.weight !== undefined && update.weight !== 0,
  };
  // Awaited only when it has something to wait for (a live change saved behind the caller has not).
  const committing = commitDefinitionChange(obj, definitionChange, ctx);
  if (committing) await committing;
}

/**
 * virDomainSetBlkioParameters for a driver that enforces through a cgroup (LXC, QEMU), in libvirt's order: flags,
 * parameter names and types, CURRENT/LIVE/CONFIG, the device lists, then {@link applyBlkioUpdate}. Returns the
 * parameters applied, for the driver's tunable event (none for an empty list, which changes nothing).
 *
 * @param fn the driver function named in flag errors (`lxcDomainSetBlkioParameters`).
 */
export async function setBlkioParameters(
  obj: DomainObject,
  params: readonly TypedParameterInput[],
  flags: number,
  ctx: BlkiotuneContext,
  fn: string,
): Promise<TypedParameter[]> {
  checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG, fn, ctx.errorDomain);
  const valid = validateBlkioParams(params);
  const affect = resolveAffect(obj, flags);
  const update = blkioUpdateFrom(valid);
  if (isEmptyBlkioUpdate(update)) return [];
  await applyBlkioUpdate(obj, update, affect, ctx);
  return blkioUpdateToParams(update);
}

/**
 * virDomainGetBlkioParameters for a driver that enforces through a cgroup, as libvirt's LXC and QEMU drivers answer
 * it: the one definition the flags name; for the live one, the weight the cgroup holds (the kernel's default when
 * none was set, 100 with BFQ) and the device lists of the live definition.
 *
 * @param fn the driver function named in flag errors (`lxcDomainGetBlkioParameters`).
 */
export function getBlkioParameters(
  obj: DomainObject,
  flags: number,
  ctx: Pick<BlkiotuneContext, 'errorDomain' | 'cgroup'>,
  fn: string,
): TypedParameter[] {
  checkFlags(flags, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY, fn, ctx.errorDomain);
  const which = resolveAffectOne(obj, flags);
  const tune = obj.def(which).blkiotune;
  if (which === 'config' || !ctx.cgroup) return blkioTuneToParams(tune);
  const weight = blkioOf(ctx.cgroup, ctx.errorDomain).read().weight;
  return blkioTuneToParams({ devices: tune?.devices ?? [], ...(weight ? { weight } : {}) });
}
