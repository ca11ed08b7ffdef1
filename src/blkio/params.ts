import { TypedParameterType, type TypedParameterSpec } from '../typed-params/types.js';
import type { BlkioDevice } from '../xml/domain-def.js';

/** libvirt's VIR_DOMAIN_BLKIO_WEIGHT (UINT): the domain's I/O weight; 0 reads as "unset". */
export const BLKIO_WEIGHT = 'weight';
/** libvirt's VIR_DOMAIN_BLKIO_DEVICE_WEIGHT (STRING `path,weight,...`). */
export const BLKIO_DEVICE_WEIGHT = 'device_weight';
/** libvirt's VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS (STRING `path,iops,...`): reads per second. */
export const BLKIO_DEVICE_READ_IOPS = 'device_read_iops_sec';
/** libvirt's VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS (STRING `path,iops,...`): writes per second. */
export const BLKIO_DEVICE_WRITE_IOPS = 'device_write_iops_sec';
/** libvirt's VIR_DOMAIN_BLKIO_DEVICE_READ_BPS (STRING `path,bytes,...`): bytes read per second. */
export const BLKIO_DEVICE_READ_BPS = 'device_read_bytes_sec';
/** libvirt's VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS (STRING `path,bytes,...`): bytes written per second. */
export const BLKIO_DEVICE_WRITE_BPS = 'device_write_bytes_sec';

/**
 * The range libvirt's domain schema gives `<blkiotune><weight>` (and a device's `<weight>`). The API does not
 * check it — libvirt's test driver stores any UINT, and its QEMU and LXC drivers leave the check to the kernel
 * (BFQ takes 1–1000, cgroup v2's io.weight 1–10000) — so neither does virtune's validation.
 */
export const BLKIO_WEIGHT_MIN = 100;
export const BLKIO_WEIGHT_MAX = 1000;

/** The per-device parameters, in the order libvirt reports them (after `weight`). */
export const BLKIO_DEVICE_PARAMS = [
  BLKIO_DEVICE_WEIGHT,
  BLKIO_DEVICE_READ_IOPS,
  BLKIO_DEVICE_WRITE_IOPS,
  BLKIO_DEVICE_READ_BPS,
  BLKIO_DEVICE_WRITE_BPS,
] as const;
export type BlkioDeviceParamName = (typeof BLKIO_DEVICE_PARAMS)[number];

/** Every blkio parameter, in libvirt's order: what getBlkioParameters returns, six of them. */
export const BLKIO_PARAM_NAMES = [BLKIO_WEIGHT, ...BLKIO_DEVICE_PARAMS] as const;
export type BlkioParamName = (typeof BLKIO_PARAM_NAMES)[number];

/** The numeric fields of a {@link BlkioDevice}. */
export type BlkioDeviceField = Exclude<keyof BlkioDevice, 'path'>;

/** What one per-device parameter sets on each device it names, and how wide its values are (libvirt's C type). */
export interface BlkioDeviceParamInfo {
  readonly field: BlkioDeviceField;
  /** `uint` (weight, iops: strtoul into an unsigned int) or `ullong` (bytes per second). */
  readonly width: 'uint' | 'ullong';
}

export const BLKIO_DEVICE_PARAM_INFO: Readonly<Record<BlkioDeviceParamName, BlkioDeviceParamInfo>> = {
  [BLKIO_DEVICE_WEIGHT]: { field: 'weight', width: 'uint' },
  [BLKIO_DEVICE_READ_IOPS]: { field: 'readIopsSec', width: 'uint' },
  [BLKIO_DEVICE_WRITE_IOPS]: { field: 'writeIopsSec', width: 'uint' },
  [BLKIO_DEVICE_READ_BPS]: { field: 'readBytesSec', width: 'ullong' },
  [BLKIO_DEVICE_WRITE_BPS]: { field: 'writeBytesSec', width: 'ullong' },
};

/** virTypedParamsValidate's table for setBlkioParameters (libvirt's test, QEMU and LXC drivers use the same). */
export const BLKIO_PARAM_SPEC: TypedParameterSpec = Object.freeze({
  [BLKIO_WEIGHT]: TypedParameterType.UINT,
  [BLKIO_DEVICE_WEIGHT]: TypedParameterType.STRING,
  [BLKIO_DEVICE_READ_IOPS]: TypedParameterType.STRING,
  [BLKIO_DEVICE_WRITE_IOPS]: TypedParameterType.STRING,
  [BLKIO_DEVICE_READ_BPS]: TypedParameterType.STRING,
  [BLKIO_DEVICE_WRITE_BPS]: TypedParameterType.STRING,
});

/** True when `name` is one of the per-device parameters. */
export function isBlkioDeviceParam(name: string): name is BlkioDeviceParamName {
  return Object.prototype.hasOwnProperty.call(BLKIO_DEVICE_PARAM_INFO, name);
}
