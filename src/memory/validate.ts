import { publicName } from '../entry-points.js';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { knownErrorDomain } from '../error-guard.js';
import { TypedParameterType, type TypedParameter, type TypedParameterInput } from '../typed-params/types.js';
import { checkTypedParamCount, snapshotList, validateTypedParams } from '../typed-params/validate.js';
import type { MemTune } from '../xml/domain-def.js';
import {
  EXTRA_MEMTUNE_PARAMS,
  LIBVIRT_MEMTUNE_PARAMS,
  MEMORY_MIN_GUARANTEE,
  MEMTUNE_FIELD,
  UNLIMITED,
  memoryParamSpec,
  type MemoryParamName,
} from './params.js';

/** Every parameter name in virtune's canonical order: libvirt's three, then the extensions. */
const CANONICAL_ORDER: readonly MemoryParamName[] = [...LIBVIRT_MEMTUNE_PARAMS, ...EXTRA_MEMTUNE_PARAMS];

/** What one setMemoryParameters call asks to change, KiB; an absent field stays as it is. */
export type MemTuneUpdate = Partial<MemTune>;

/**
 * Checks a setMemoryParameters list against the names a driver supports and returns the change it asks for.
 * Errors, in libvirt's order and words: an empty list (named after the entry's public function); then
 * virTypedParamsValidate's duplicates, unknown names (ARGUMENT_UNSUPPORTED) and wrong types; then any value above
 * UNLIMITED.
 *
 * @param supported the names the driver accepts (e.g. hard, soft, swap for QEMU).
 * @param domain the error domain of the calling driver (`ErrorDomain.TEST`, `QEMU`, `LXC`).
 */
export function parseMemoryParams(
  params: readonly TypedParameterInput[],
  supported: readonly MemoryParamName[],
  domainGiven: ErrorDomain,
): MemTuneUpdate {
  const domain = knownErrorDomain(domainGiven);
  checkTypedParamCount(params, publicName('domainSetMemoryParameters'));
  const valid = validateTypedParams(params, memoryParamSpec(supported), ErrorDomain.NONE);
  const update: MemTuneUpdate = {};
  for (const p of valid) {
    const value = p.value as bigint;
    if (value > UNLIMITED) {
      throw new VirError(
        ErrorCode.INVALID_ARG,
        domain,
        `Memory '${value}' must be less than '${UNLIMITED}'`,
      );
    }
    update[MEMTUNE_FIELD[p.field as MemoryParamName]] = value;
  }
  return update;
}

/**
 * The memtune that results from applying `update` to `base` (the definition actually being changed), after
 * checking hard_limit ≤ swap_hard_limit on the merged values. `base` is not modified.
 */
export function mergeMemTune(base: MemTune, update: MemTuneUpdate, domainGiven: ErrorDomain): MemTune {
  const domain = knownErrorDomain(domainGiven);
  const merged: MemTune = { ...base, ...update };
  const touchesPair = update.hardLimit !== undefined || update.swapHardLimit !== undefined;
  if (touchesPair && merged.hardLimit > merged.swapHardLimit) {
    throw new VirError(
      ErrorCode.INVALID_ARG,
      domain,
      'memory hard_limit tunable value must be lower than or equal to swap_hard_limit',
    );
  }
  return merged;
}

/** True when `name` holds a value worth reporting beyond libvirt's three (set, i.e. not its default). */
function isSet(memtune: MemTune, name: MemoryParamName): boolean {
  const v = memtune[MEMTUNE_FIELD[name]];
  return name === MEMORY_MIN_GUARANTEE ? v !== 0n : v !== UNLIMITED;
}


/**
 * getMemoryParameters' answer: hard_limit, soft_limit, swap_hard_limit always (libvirt's order and count, so
 * virsh-style output stays identical), then min_guarantee and swap_soft_limit when the driver supports them and
 * they are set. Each is ULLONG KiB.
 */
export function memTuneToParams(memtune: MemTune, supportedList: readonly MemoryParamName[]): TypedParameter[] {
  const supported = snapshotList(supportedList);
  const params = LIBVIRT_MEMTUNE_PARAMS.map(
    (field): TypedParameter => ({ field, type: TypedParameterType.ULLONG, value: memtune[MEMTUNE_FIELD[field]] }),
  );
  for (const field of EXTRA_MEMTUNE_PARAMS) {
    if (supported.includes(field) && isSet(memtune, field)) {
      params.push({ field, type: TypedParameterType.ULLONG, value: memtune[MEMTUNE_FIELD[field]] });
    }
  }
  return params;
}

/** getMemoryParameters with nparams=0: how many parameters {@link memTuneToParams} would return. */
export function memoryParamCount(memtune: MemTune, supportedList: readonly MemoryParamName[]): number {
  const supported = snapshotList(supportedList);
  let n = LIBVIRT_MEMTUNE_PARAMS.length;
  for (const field of EXTRA_MEMTUNE_PARAMS) if (supported.includes(field) && isSet(memtune, field)) n++;
  return n;
}

/** The parameters an accepted update set, in virtune's canonical order: what a `tunable` event reports. */
export function memTuneUpdateToParams(update: MemTuneUpdate): TypedParameter[] {
  const params: TypedParameter[] = [];
  for (const field of CANONICAL_ORDER) {
    const value = update[MEMTUNE_FIELD[field]];
    if (value !== undefined) params.push({ field, type: TypedParameterType.ULLONG, value });
  }
  return params;
}
