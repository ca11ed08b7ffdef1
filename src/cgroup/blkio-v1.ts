import type { ControllerFiles } from './backend.js';
import {
  BLKIO_DEVICE_FIELDS,
  checkDevice,
  checkThrottle,
  checkWeight,
  collect,
  deviceKey,
  deviceLines,
  deviceOfKey,
  devicesOf,
  fileOfKey,
  defaultWeightText,
  mergeBlkio,
  noWeightFile,
  type BlkioDeviceField,
  type BlkioDeviceValues,
  type BlkioValues,
} from './blkio-values.js';
import { parseCgroupInteger } from './integer-text.js';

const THROTTLE: Readonly<Record<Exclude<BlkioDeviceField, 'weight'>, string>> = {
  readIops: 'blkio.throttle.read_iops_device',
  writeIops: 'blkio.throttle.write_iops_device',
  readBps: 'blkio.throttle.read_bps_device',
  writeBps: 'blkio.throttle.write_bps_device',
};

/** Which proportional-weight files a v1 blkio cgroup has: BFQ's, CFQ's (kernels before 5.0), or none. */
interface WeightFiles {
  readonly weight: string;
  readonly device: string;
  readonly min: number;
}

const BFQ: WeightFiles = { weight: 'blkio.bfq.weight', device: 'blkio.bfq.weight_device', min: 1 };
const CFQ: WeightFiles = { weight: 'blkio.weight', device: 'blkio.weight_device', min: 10 };

function fileOf(w: WeightFiles | undefined, field: BlkioDeviceField): string {
  if (field !== 'weight') return THROTTLE[field];
  if (w === undefined) throw noWeightFile('device weight');
  return w.device;
}

function deviceText(w: WeightFiles | undefined, device: string, field: BlkioDeviceField, value: number | bigint): string {
  if (field === 'weight') {
    // 0 removes the device's own weight.
    if (w === undefined) throw noWeightFile('device weight');
    return `${device} ${value === 0 ? 0 : checkWeight(value as number, w.min, 1000)}`;
  }
  return `${device} ${checkThrottle(field, value as bigint)}`;
}

/**
 * cgroup v1's blkio controller with weight files `w`: weight → blkio.bfq.weight (or CFQ's blkio.weight), device
 * weights → blkio.bfq.weight_device, the throttles → blkio.throttle.{read,write}_{bps,iops}_device, each a
 * `MAJ:MIN VALUE` line per device (0 removes the rule). libvirt's order: the weight, then per device its weight,
 * IOPS and bytes/s limits.
 */
function blkioV1(w: WeightFiles | undefined): ControllerFiles<BlkioValues> {
  return {
    controller: 'blkio',
    version: 'v1',
    // The root cgroup has no weight files: probe a throttle file.
    probeFile: THROTTLE.writeBps,
    fields: ['weight', 'devices'],
    fileOf: { weight: w?.weight ?? BFQ.weight },
    encode(v) {
      const out: Record<string, string> = {};
      if (v.weight !== undefined && v.weight !== 0) {
        if (w === undefined) throw noWeightFile('weight');
        out[w.weight] = String(checkWeight(v.weight, w.min, 1000));
      }
      for (const [device, values] of Object.entries(v.devices ?? {})) {
        checkDevice(device);
        for (const field of BLKIO_DEVICE_FIELDS) {
          const value = values[field];
          if (value !== undefined) out[deviceKey(fileOf(w, field), device)] = deviceText(w, device, field, value);
        }
      }
      return out;
    },
    decode(read) {
      const devices: Record<string, BlkioDeviceValues> = {};
      for (const field of BLKIO_DEVICE_FIELDS) {
        if (field === 'weight' && w === undefined) continue;
        const file = fileOf(w, field);
        collect(devices, deviceLines(read(file)), field, (value) => parseCgroupInteger(value, file));
      }
      if (w === undefined) return { devices };
      return { weight: Number(parseCgroupInteger(defaultWeightText(read(w.weight)), w.weight)), devices };
    },
    writeOrder(current, next) {
      const keys = w === undefined ? [] : [w.weight];
      for (const device of devicesOf(current, next)) {
        for (const field of BLKIO_DEVICE_FIELDS) if (field !== 'weight' || w !== undefined) keys.push(deviceKey(fileOf(w, field), device));
      }
      return keys;
    },
    fileOfKey,
    unsetText: (key) => (key.includes(' ') ? `${deviceOfKey(key)} 0` : undefined),
    merge: mergeBlkio,
    inDirectory: (has) => (has(BFQ.weight) ? blkioV1BfqFiles : has(CFQ.weight) ? blkioV1CfqFiles : blkioV1NoWeightFiles),
  };
}

/** v1 blkio where BFQ is the I/O scheduler (this host). */
export const blkioV1BfqFiles = blkioV1(BFQ);
/** v1 blkio with CFQ's weight files. */
export const blkioV1CfqFiles = blkioV1(CFQ);
/** v1 blkio with no weight files (no proportional scheduler): throttles only. */
export const blkioV1NoWeightFiles = blkioV1(undefined);
