import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/** One block device's values in one cgroup (libvirt's `device_*` parameters); 0 means none. */
export interface BlkioDeviceValues {
  weight?: number;
  readBps?: bigint;
  writeBps?: bigint;
  readIops?: bigint;
  writeIops?: bigint;
}

/**
 * What one cgroup directory of the blkio (v2: io) controller holds: the cgroup's weight (0 or absent: leave the
 * kernel's) and per-device values, keyed by the device number `MAJ:MIN` (resolving a path to it is the
 * driver's job). A device the values do not list is left alone; a field of 0 removes that limit.
 */
export interface BlkioValues {
  weight?: number;
  devices?: Readonly<Record<string, BlkioDeviceValues>>;
}

/** The per-device fields, in libvirt's write order (virDomainCgroupSetupBlkio: weight, iops, then bytes). */
export const BLKIO_DEVICE_FIELDS = ['weight', 'readIops', 'writeIops', 'readBps', 'writeBps'] as const;
export type BlkioDeviceField = (typeof BLKIO_DEVICE_FIELDS)[number];

const U64_MAX = 2n ** 64n - 1n;
const U32_MAX = 2n ** 32n - 1n;

function invalid(text: string): VirError {
  return new VirError(ErrorCode.INVALID_ARG, ErrorDomain.CGROUP, text);
}

/** A weight, refused outside [min, max] before any write (the kernel answers ERANGE). */
export function checkWeight(weight: number, min: number, max: number): number {
  if (!Number.isInteger(weight) || weight < min || weight > max) {
    throw invalid(`blkio weight '${weight}' must be in range [${min}, ${max}]`);
  }
  return weight;
}

/** A throttle: bytes/s fit in 64 bits, I/O operations/s in 32 (libvirt's ULLONG and UINT). */
export function checkThrottle(field: 'readBps' | 'writeBps' | 'readIops' | 'writeIops', value: bigint): bigint {
  const max = field.endsWith('Bps') ? U64_MAX : U32_MAX;
  if (value < 0n || value > max) throw invalid(`blkio ${field} '${value}' must be in range [0, ${max}]`);
  return value;
}

/** A device number as the files write it, `MAJ:MIN`. */
export function checkDevice(device: string): string {
  if (!/^\d+:\d+$/.test(device)) throw invalid(`block device number '${device}' is not MAJ:MIN`);
  return device;
}

/** Devices of `base` with `change`'s defined fields over them, device by device, field by field. */
export function mergeBlkio(base: Partial<BlkioValues>, change: Partial<BlkioValues>): Partial<BlkioValues> {
  const devices: Record<string, BlkioDeviceValues> = {};
  if (base.devices) for (const [d, v] of Object.entries(base.devices)) devices[d] = { ...v };
  if (change.devices) {
    for (const [d, v] of Object.entries(change.devices)) {
      const into: BlkioDeviceValues = (devices[d] ??= {});
      for (const f of BLKIO_DEVICE_FIELDS) if (v[f] !== undefined) (into as Record<string, unknown>)[f] = v[f];
    }
  }
  // Plain stores, not a conditional spread: this runs on every live blkio change.
  const merged: Partial<BlkioValues> = {};
  const weight = change.weight ?? base.weight;
  if (weight !== undefined) merged.weight = weight;
  merged.devices = devices;
  return merged;
}

/** Every device of `a` or `b`, in a stable order. */
export function devicesOf(a: Partial<BlkioValues>, b: Partial<BlkioValues>): string[] {
  const inA = a.devices ? Object.keys(a.devices) : [];
  const inB = b.devices ? Object.keys(b.devices) : [];
  // One side without devices (a weight change: every live blkio change but the device lists) needs no set.
  if (inB.length === 0) return inA.sort();
  if (inA.length === 0) return inB.sort();
  return [...new Set([...inA, ...inB])].sort();
}

/** A write key of a per-device file: `FILE MAJ:MIN`. */
export function deviceKey(file: string, device: string): string {
  return `${file} ${device}`;
}

/** The file of a write key (`FILE` or `FILE MAJ:MIN`). */
export function fileOfKey(key: string): string {
  const space = key.indexOf(' ');
  return space < 0 ? key : key.slice(0, space);
}

/** The device of a per-device write key. */
export function deviceOfKey(key: string): string {
  return key.slice(key.indexOf(' ') + 1);
}

/**
 * The `MAJ:MIN VALUE` lines of a per-device file (v1 throttles and weights, v2 io.max and weights), by device;
 * `default N` lines are under `default`.
 */
export function deviceLines(text: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(\d+:\d+|default) (.*)$/.exec(line.trim());
    if (m) lines.set(m[1]!, m[2]!);
  }
  return lines;
}

/** The cgroup-wide weight of a weight file: a plain number (v1), or its `default N` line (v2). */
export function defaultWeightText(text: string): string {
  return deviceLines(text).get('default') ?? text.trim();
}

/** A record of devices with one field set from a per-device file's lines. */
export function collect(
  into: Record<string, BlkioDeviceValues>,
  lines: Map<string, string>,
  field: BlkioDeviceField,
  parse: (value: string) => bigint,
): void {
  for (const [device, value] of lines) {
    if (device === 'default') continue;
    const v = parse(value);
    (into[device] ??= {} as BlkioDeviceValues)[field] = (field === 'weight' ? Number(v) : v) as never;
  }
}

/** The error when no weight file exists: the device's I/O scheduler has no weights (libvirt's words). */
export function noWeightFile(what: 'weight' | 'device weight'): VirError {
  return new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.CGROUP, `blkio ${what} is valid only for bfq or cfq scheduler`);
}
