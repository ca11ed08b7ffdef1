import { ErrorDomain, type VirError } from '../errors.js';
import { TypedParameterType, type TypedParameter, type TypedParameterInput } from '../typed-params/types.js';
import { validateTypedParams } from '../typed-params/validate.js';
import type { BlkioDevice, BlkioTune } from '../xml/domain-def.js';
import { formatBlkioDeviceList, parseBlkioDeviceList, type BlkioDeviceValue } from './device-list.js';
import {
  BLKIO_DEVICE_PARAMS,
  BLKIO_DEVICE_PARAM_INFO,
  BLKIO_PARAM_NAMES,
  BLKIO_PARAM_SPEC,
  BLKIO_WEIGHT,
  isBlkioDeviceParam,
  type BlkioDeviceField,
  type BlkioDeviceParamName,
} from './params.js';

/** One per-device parameter of a setBlkioParameters call: its name and the `path,value` pairs it gave. */
export interface BlkioDeviceChange {
  param: BlkioDeviceParamName;
  values: BlkioDeviceValue[];
}

/** What one setBlkioParameters call asks to change; what it does not name stays as it is. */
export interface BlkioUpdate {
  /** The new I/O weight (0: unset). */
  weight?: number;
  /** The per-device parameters, in the order they were given (libvirt merges them in that order). */
  devices: BlkioDeviceChange[];
}

/** A blkiotune with nothing set: what a definition without `<blkiotune>` means. */
export function emptyBlkioTune(): BlkioTune {
  return { devices: [] };
}

/**
 * virTypedParamsValidate against blkio's table (names, duplicates, types: `weight` UINT, the five device lists
 * STRING), the first step of libvirt's test, QEMU and LXC drivers. Returns the parameters normalized.
 *
 * @throws VirError INVALID_ARG or ARGUMENT_UNSUPPORTED (error domain NONE, as virtypedparam.c raises them).
 */
export function validateBlkioParams(params: readonly TypedParameterInput[]): TypedParameter[] {
  return validateTypedParams(params, BLKIO_PARAM_SPEC, ErrorDomain.NONE);
}

/**
 * The change validated parameters ask for: every device list parsed ({@link parseBlkioDeviceList}). libvirt parses
 * every list even after one failed and reports the last failure; so does this, but then nothing is applied (libvirt
 * applies the lists that parsed). An empty list is a change of nothing, as in libvirt.
 *
 * @throws VirError INVALID_ARG (error domain DOMAIN); nothing has been changed.
 */
export function blkioUpdateFrom(valid: readonly TypedParameter[]): BlkioUpdate {
  const update: BlkioUpdate = { devices: [] };
  let failure: VirError | undefined;
  for (const p of valid) {
    if (p.field === BLKIO_WEIGHT) {
      update.weight = p.value as number;
    } else if (isBlkioDeviceParam(p.field)) {
      try {
        update.devices.push({ param: p.field, values: parseBlkioDeviceList(p.value as string, p.field) });
      } catch (e) {
        failure = e as VirError;
      }
    }
  }
  if (failure) throw failure;
  return update;
}

/** {@link validateBlkioParams} then {@link blkioUpdateFrom}: a setBlkioParameters list checked and parsed. */
export function parseBlkioParams(params: readonly TypedParameterInput[]): BlkioUpdate {
  return blkioUpdateFrom(validateBlkioParams(params));
}

/** True when an update changes nothing (an empty parameter list). */
export function isEmptyBlkioUpdate(update: BlkioUpdate): boolean {
  return update.weight === undefined && update.devices.length === 0;
}

/**
 * The blkiotune that results from applying `update` to `base` (the definition being changed), as libvirt's
 * virDomainDriverMergeBlkioDevice does: a device already listed (same path, as written) gets the new value, 0
 * included — a 0 clears that value, the device keeps its place; a new device is appended unless its value is 0.
 * `base` is not modified.
 */
export function mergeBlkioTune(base: BlkioTune | undefined, update: BlkioUpdate): BlkioTune {
  const devices: BlkioDevice[] = (base?.devices ?? []).map((d) => ({ ...d }));
  let weight = base?.weight;
  if (update.weight !== undefined) weight = update.weight === 0 ? undefined : update.weight;
  for (const change of update.devices) {
    const field = BLKIO_DEVICE_PARAM_INFO[change.param].field;
    for (const { path, value } of change.values) {
      const known = devices.find((d) => d.path === path);
      if (known) setDeviceValue(known, field, value);
      else if (value !== 0n) devices.push(setDeviceValue({ path }, field, value));
    }
  }
  return weight === undefined ? { devices } : { weight, devices };
}

function setDeviceValue(device: BlkioDevice, field: BlkioDeviceField, value: bigint): BlkioDevice {
  if (value === 0n) delete device[field];
  else if (field === 'weight') device.weight = Number(value);
  else device[field] = value;
  return device;
}

/** True when a device has nothing set: libvirt keeps it in its list but neither reports nor prints it. */
export function isEmptyBlkioDevice(device: BlkioDevice): boolean {
  return Object.values(BLKIO_DEVICE_PARAM_INFO).every(({ field }) => device[field] === undefined);
}

/**
 * getBlkioParameters' answer, libvirt's six in its order: `weight` (UINT, 0 when unset), then each device list as a
 * STRING (`path,value,...` of the devices whose value is set, `''` when none is).
 */
export function blkioTuneToParams(tune: BlkioTune | undefined): TypedParameter[] {
  const devices = tune?.devices ?? [];
  return [
    { field: BLKIO_WEIGHT, type: TypedParameterType.UINT, value: tune?.weight ?? 0 },
    ...BLKIO_DEVICE_PARAMS.map(
      (field): TypedParameter => ({ field, type: TypedParameterType.STRING, value: formatBlkioDeviceList(devices, field) }),
    ),
  ];
}

/** getBlkioParameters with nparams=0: libvirt's drivers always answer 6. */
export const BLKIO_PARAM_COUNT = BLKIO_PARAM_NAMES.length;

/**
 * The parameters an accepted update set, in libvirt's order (weight, then the device lists as given): what a
 * `tunable` event reports.
 */
export function blkioUpdateToParams(update: BlkioUpdate): TypedParameter[] {
  const out: TypedParameter[] = [];
  if (update.weight !== undefined) out.push({ field: BLKIO_WEIGHT, type: TypedParameterType.UINT, value: update.weight });
  for (const field of BLKIO_DEVICE_PARAMS) {
    const change = update.devices.find((c) => c.param === field);
    if (change) {
      const value = change.values.map((v) => `${v.path},${v.value}`).join(',');
      out.push({ field, type: TypedParameterType.STRING, value });
    }
  }
  return out;
}

/**
 * The reverse of {@link blkioTuneToParams}: getBlkioParameters' answer as a {@link BlkioTune} (devices in the order
 * they first appear). Parameters it does not know are ignored.
 */
export function paramsToBlkioTune(params: readonly TypedParameter[]): BlkioTune {
  const update: BlkioUpdate = { devices: [] };
  for (const p of params) {
    if (p.field === BLKIO_WEIGHT && typeof p.value === 'number') update.weight = p.value;
    else if (isBlkioDeviceParam(p.field) && typeof p.value === 'string') {
      update.devices.push({ param: p.field, values: parseBlkioDeviceList(p.value, p.field) });
    }
  }
  return mergeBlkioTune(undefined, update);
}
