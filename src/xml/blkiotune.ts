import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { strToUInt, strToULongLong } from './c-number.js';
import type { BlkioDevice, BlkioTune } from './domain-def.js';
import { contentOf, firstChildOf, type RawElementNode } from './raw.js';

type Throttle = 'readBytesSec' | 'writeBytesSec' | 'readIopsSec' | 'writeIopsSec';

/**
 * A device's values: element, BlkioDevice field, whether libvirt reads it as an unsigned int (else unsigned long
 * long), and the name its parse error gives it. In libvirt's output order (virDomainDefFormatBlkiotune), which
 * is also the order of its parse errors.
 */
export const BLKIO_DEVICE_FIELDS = [
  ['weight', 'weight', true, 'weight'],
  ['read_iops_sec', 'readIopsSec', true, 'read iops sec'],
  ['write_iops_sec', 'writeIopsSec', true, 'write iops sec'],
  ['read_bytes_sec', 'readBytesSec', false, 'read bytes sec'],
  ['write_bytes_sec', 'writeBytesSec', false, 'write bytes sec'],
] as const satisfies ReadonlyArray<readonly [string, 'weight' | Throttle, boolean, string]>;

// libvirt parses the device values in this order (so a device with two bad values gets the first one's error).
const PARSE_ORDER = ['weight', 'read_bytes_sec', 'write_bytes_sec', 'read_iops_sec', 'write_iops_sec'] as const;

function unsupported(message: string): VirError {
  return new VirError(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, message);
}

/** True when the device has a value libvirt would print (a device with none is left out). */
export function hasBlkioDeviceValues(d: BlkioDevice): boolean {
  return BLKIO_DEVICE_FIELDS.some(([, field]) => d[field] !== undefined && d[field] !== 0 && d[field] !== 0n);
}

/** True when `<blkiotune>` would be written: a weight or a device with a value. */
export function hasBlkiotuneValues(bt: BlkioTune | undefined): boolean {
  return bt !== undefined && ((bt.weight !== undefined && bt.weight !== 0) || bt.devices.some(hasBlkioDeviceValues));
}

/** The text of the first child named `name`; '' when absent (libvirt's XPath `string(./name)`). */
function textOf(parent: RawElementNode, name: string): string {
  const el = firstChildOf([parent], name);
  return el ? contentOf(el) : '';
}

/** One `<device>`, as libvirt 9.0's virDomainBlkioDeviceParseXML reads it. */
function readDevice(el: RawElementNode): BlkioDevice {
  const path = textOf(el, 'path');
  if (path === '') throw unsupported('missing per-device path');
  const dev: BlkioDevice = { path };
  for (const name of PARSE_ORDER) {
    const [, field, uint, label] = BLKIO_DEVICE_FIELDS.find((f) => f[0] === name)!;
    const text = textOf(el, name);
    if (text === '') continue;
    // virStrToLong_ui / _ull: a minus sign wraps (`-1` is the type's maximum), as libvirt lets it.
    const v = uint ? strToUInt(text, false) : strToULongLong(text, false);
    if (v === undefined) throw unsupported(`could not parse ${label} ${text}`);
    if (v === 0n) continue;
    if (field === 'weight') dev.weight = Number(v);
    else dev[field] = v;
  }
  return dev;
}

/**
 * Reads the `<blkiotune>` elements of a domain (normally one) as libvirt 9.0's parser does: the domain weight is
 * the first `<weight>` read with virStrToLong_uip, and anything unreadable there is silently "not set"; every
 * `<device>` must have a `<path>`, and its values must be numbers (errors `could not parse weight x`); two devices
 * may not share a path. Values of 0 are "not set", and a device left with none is dropped, as libvirt does not
 * print it. libvirt checks no range here (a weight of 5 is defined; 100..1000 is checked when it is applied).
 * Nothing else in `<blkiotune>` is kept: libvirt models all of it.
 *
 * @returns undefined when there is nothing to keep.
 * @throws VirError CONFIG_UNSUPPORTED with libvirt's message.
 */
export function readBlkiotune(els: readonly RawElementNode[]): BlkioTune | undefined {
  if (els.length === 0) return undefined;
  const weightEl = firstChildOf(els, 'weight');
  const weight = weightEl ? strToUInt(contentOf(weightEl), true) : undefined;
  const bt: BlkioTune = weight !== undefined && weight !== 0n ? { weight: Number(weight), devices: [] } : { devices: [] };
  const seen = new Set<string>();
  for (const parent of els) {
    for (const c of parent.children) {
      if (c.k !== 'e' || c.name !== 'device') continue;
      const dev = readDevice(c);
      if (seen.has(dev.path)) throw unsupported(`duplicate blkio device path '${dev.path}'`);
      seen.add(dev.path);
      if (hasBlkioDeviceValues(dev)) bt.devices.push(dev);
    }
  }
  return hasBlkiotuneValues(bt) ? bt : undefined;
}
