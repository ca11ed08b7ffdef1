import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { TypedParameterType, type TypedParameterInput } from '../typed-params/types.js';
import type { BlkioDevice } from '../xml/domain-def.js';
import { BLKIO_DEVICE_PARAMS, BLKIO_DEVICE_PARAM_INFO, BLKIO_WEIGHT } from './params.js';

/** One device's values for `Domain.setBlkiotune`: numbers or bigints; 0 clears a value; an absent field stays. */
export type BlkioDeviceValues = { path: string } & { [K in Exclude<keyof BlkioDevice, 'path'>]?: number | bigint };

/** What `Domain.setBlkiotune` takes: the I/O weight and per-device values by name. Absent fields stay. */
export interface BlkiotuneValues {
  weight?: number;
  devices?: readonly BlkioDeviceValues[];
}

const KNOWN_DEVICE_KEYS = new Set<string>(['path', ...Object.values(BLKIO_DEVICE_PARAM_INFO).map((i) => i.field)]);

const refuse = (code: ErrorCode, message: string): VirError => new VirError(code, ErrorDomain.NONE, message);

/**
 * The typed parameters that set `values`, in virsh's order: `weight` (UINT) when given, then one STRING per device
 * parameter some device gives (`/dev/sda,500,/dev/sdb,300`). Values are checked only as far as the string form
 * needs (an integer, no comma in a path); setBlkioParameters checks the rest.
 *
 * @throws VirError ARGUMENT_UNSUPPORTED for an unknown field, INVALID_ARG for a value or path the string form cannot
 *   carry; nothing has been sent.
 */
export function blkiotuneToParams(values: BlkiotuneValues): TypedParameterInput[] {
  if (values === null || typeof values !== 'object') throw refuse(ErrorCode.INVALID_ARG, 'blkiotune values must be an object');
  for (const key of Object.keys(values)) {
    if (key !== 'weight' && key !== 'devices') throw refuse(ErrorCode.ARGUMENT_UNSUPPORTED, `blkiotune field '${key}' not supported`);
  }
  const params: TypedParameterInput[] = [];
  if (values.weight !== undefined) params.push({ field: BLKIO_WEIGHT, type: TypedParameterType.UINT, value: values.weight });
  const devices = values.devices ?? [];
  for (const d of devices) checkDevice(d);
  for (const param of BLKIO_DEVICE_PARAMS) {
    const field = BLKIO_DEVICE_PARAM_INFO[param].field;
    const given = devices.filter((d) => d[field] !== undefined);
    if (given.length === 0) continue;
    params.push({ field: param, type: TypedParameterType.STRING, value: given.map((d) => `${d.path},${d[field]}`).join(',') });
  }
  return params;
}

function checkDevice(d: BlkioDeviceValues): void {
  if (d === null || typeof d !== 'object' || typeof d.path !== 'string' || d.path === '' || d.path.includes(',')) {
    throw refuse(ErrorCode.INVALID_ARG, 'a blkio device needs a path without commas');
  }
  for (const [key, v] of Object.entries(d)) {
    if (!KNOWN_DEVICE_KEYS.has(key)) throw refuse(ErrorCode.ARGUMENT_UNSUPPORTED, `blkio device field '${key}' not supported`);
    if (key === 'path' || v === undefined) continue;
    const integer = typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v));
    if (!integer || v < 0) throw refuse(ErrorCode.INVALID_ARG, `invalid value '${String(v)}' for blkio device field '${key}'`);
  }
}
