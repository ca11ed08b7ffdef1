import type { ControllerFiles } from './backend.js';
import {
  checkDevice,
  checkThrottle,
  checkWeight,
  collect,
  defaultWeightText,
  deviceKey,
  deviceLines,
  deviceOfKey,
  devicesOf,
  fileOfKey,
  mergeBlkio,
  noWeightFile,
  type BlkioDeviceValues,
  type BlkioValues,
} from './blkio-values.js';
import { parseCgroupInteger } from './integer-text.js';

const MAX = 'io.max';

/** io.max's keys for the four throttles, in libvirt's order. */
const MAX_KEYS = [
  ['riops', 'readIops'],
  ['wiops', 'writeIops'],
  ['rbps', 'readBps'],
  ['wbps', 'writeBps'],
] as const;

/** The weight file a v2 io cgroup has: BFQ's io.bfq.weight (1–1000) or io.weight (1–10000), or none. */
interface WeightFile {
  readonly file: string;
  readonly max: number;
  /** How the cgroup-wide weight is written (libvirt: a bare number for BFQ, `default N` for io.weight). */
  readonly text: (weight: number) => string;
}

const BFQ: WeightFile = { file: 'io.bfq.weight', max: 1000, text: (n) => String(n) };
const IO: WeightFile = { file: 'io.weight', max: 10000, text: (n) => `default ${n}` };

/** A device's io.max line: `MAJ:MIN riops=.. wiops=.. rbps=.. wbps=..`, `max` for none (0). */
function maxLine(device: string, v: BlkioDeviceValues): string {
  const parts = MAX_KEYS.map(([key, field]) => {
    const value = checkThrottle(field, v[field] ?? 0n);
    return `${key}=${value === 0n ? 'max' : value}`;
  });
  return `${device} ${parts.join(' ')}`;
}

/** The devices of io.max's lines with their four throttles (`max` as 0). */
function decodeMax(text: string, into: Record<string, BlkioDeviceValues>): void {
  for (const [device, rest] of deviceLines(text)) {
    const values: Record<string, string> = {};
    for (const pair of rest.split(' ')) {
      const [k, v] = pair.split('=');
      if (k !== undefined && v !== undefined) values[k] = v;
    }
    const entry = (into[device] ??= {});
    for (const [key, field] of MAX_KEYS) {
      const v = values[key];
      entry[field] = v === undefined || v === 'max' ? 0n : parseCgroupInteger(v, MAX);
    }
  }
}

/**
 * cgroup v2's io controller with weight file `w`: weight → io.bfq.weight (or io.weight, `default N`), device
 * weights → `MAJ:MIN W` lines of the same file (`MAJ:MIN default` removes one), the four throttles of a device →
 * one io.max line. The weight, then per device its weight and its io.max line.
 */
function blkioV2(w: WeightFile | undefined): ControllerFiles<BlkioValues> {
  return {
    controller: 'io',
    version: 'v2',
    fields: ['weight', 'devices'],
    fileOf: { weight: w?.file ?? BFQ.file },
    encode(v) {
      const out: Record<string, string> = {};
      if (v.weight !== undefined && v.weight !== 0) {
        if (w === undefined) throw noWeightFile('weight');
        out[w.file] = w.text(checkWeight(v.weight, 1, w.max));
      }
      for (const [device, values] of Object.entries(v.devices ?? {})) {
        checkDevice(device);
        if (values.weight !== undefined) {
          if (w === undefined) throw noWeightFile('device weight');
          const weight = values.weight === 0 ? 'default' : checkWeight(values.weight, 1, w.max);
          out[deviceKey(w.file, device)] = `${device} ${weight}`;
        }
        if (MAX_KEYS.some(([, field]) => values[field] !== undefined)) out[deviceKey(MAX, device)] = maxLine(device, values);
      }
      return out;
    },
    decode(read) {
      const devices: Record<string, BlkioDeviceValues> = {};
      decodeMax(read(MAX), devices);
      if (w === undefined) return { devices };
      const text = read(w.file);
      collect(devices, deviceLines(text), 'weight', (value) => parseCgroupInteger(value, w.file));
      return { weight: Number(parseCgroupInteger(defaultWeightText(text), w.file)), devices };
    },
    writeOrder(current, next) {
      const keys = w === undefined ? [] : [w.file];
      for (const device of devicesOf(current, next)) {
        if (w !== undefined) keys.push(deviceKey(w.file, device));
        keys.push(deviceKey(MAX, device));
      }
      return keys;
    },
    fileOfKey,
    unsetText(key) {
      if (!key.includes(' ')) return undefined;
      const device = deviceOfKey(key);
      return fileOfKey(key) === MAX ? maxLine(device, {}) : `${device} default`;
    },
    merge: mergeBlkio,
    inDirectory: (has) => (has(BFQ.file) ? blkioV2BfqFiles : has(IO.file) ? blkioV2IoWeightFiles : blkioV2NoWeightFiles),
  };
}

/** v2 io with BFQ's io.bfq.weight. */
export const blkioV2BfqFiles = blkioV2(BFQ);
/** v2 io with io.weight (no BFQ). */
export const blkioV2IoWeightFiles = blkioV2(IO);
/** v2 io without weight files: throttles only. */
export const blkioV2NoWeightFiles = blkioV2(undefined);
