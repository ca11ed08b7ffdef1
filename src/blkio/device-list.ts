import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { BlkioDevice } from '../xml/domain-def.js';
import { BLKIO_DEVICE_PARAM_INFO, type BlkioDeviceParamName } from './params.js';
import { describeValue, invalidArgument, readList } from '../error-guard.js';

/** One `path,value` pair of a per-device parameter, as given (0 included: it clears the device's value). */
export interface BlkioDeviceValue {
  path: string;
  value: bigint;
}

const UINT_MAX = 2n ** 32n - 1n;
const ULLONG_MAX = 2n ** 64n - 1n;
/** C's isspace in the C locale: what strtoul skips before a number. */
const C_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

// libvirt raises these from src/hypervisor/domain_driver.c, whose errors come from VIR_FROM_DOMAIN.
const invalid = (message: string): VirError => new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, message);

/**
 * libvirt's virStrToLong_uip / virStrToLong_ullp at `start`: strtoul's blanks and sign, base 10, then no minus sign
 * in what was read, something read, no overflow. Returns the value and where reading stopped, or undefined.
 */
function readUnsigned(text: string, start: number, max: bigint): { value: bigint; end: number } | undefined {
  let i = start;
  while (i < text.length && C_SPACE.has(text[i]!)) i++;
  if (text[i] === '+' || text[i] === '-') {
    if (text[i] === '-') return undefined;
    i++;
  }
  const digits = i;
  while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
  if (i === digits) return undefined;
  const value = BigInt(text.slice(digits, i));
  return value > max ? undefined : { value, end: i };
}

/**
 * Parses one per-device parameter's string exactly as libvirt 9.0's virDomainDriverParseBlkioDeviceStr: pairs
 * `path,value` separated by commas (`/dev/sda,500,/dev/sdb,300`), an empty string meaning no devices. Paths are
 * taken as written (resolving them to a device is the live side's job); a path may repeat — the later value wins
 * when merged, as in libvirt.
 *
 * Errors (INVALID_ARG, error domain DOMAIN, libvirt's words): an even number of commas, anything but a comma after a
 * value, or an empty path (virtune's addition: libvirt stores one, then prints XML it cannot read back),
 * `unable to parse blkio device 'device_weight' '/dev/sda,1x'`; a value that is not an unsigned integer of
 * the parameter's width (weight and iops: 32 bits; bytes: 64), `invalid value 'x,/dev/sdb,5' for parameter
 * 'device_weight' of device '/dev/sda'` — quoting the rest of the string from the value on, as libvirt does.
 */
export function parseBlkioDeviceList(text: string, param: BlkioDeviceParamName): BlkioDeviceValue[] {
  // Not iterated unless a string: an array-like's length may be 2^32 - 1.
  if (typeof text !== 'string') throw invalid(`blkio device list '${describeValue(param)}' must be a string`);
  if (text === '') return [];
  const unparsable = (): VirError => invalid(`unable to parse blkio device '${param}' '${text}'`);
  let commas = 0;
  for (const ch of text) if (ch === ',') commas++;
  // A valid string has an even number of fields, hence an odd number of commas.
  if (commas % 2 === 0) throw unparsable();
  const max = BLKIO_DEVICE_PARAM_INFO[param].width === 'uint' ? UINT_MAX : ULLONG_MAX;
  const out: BlkioDeviceValue[] = [];
  let pos = 0;
  for (;;) {
    const comma = text.indexOf(',', pos);
    if (comma < 0) throw unparsable();
    const path = text.slice(pos, comma);
    // libvirt stores an empty path, then prints `<path></path>`, which no parser reads back: refused here.
    if (path === '') throw unparsable();
    const read = readUnsigned(text, comma + 1, max);
    if (!read) throw invalid(`invalid value '${text.slice(comma + 1)}' for parameter '${param}' of device '${path}'`);
    out.push({ path, value: read.value });
    if (read.end === text.length) return out;
    if (text[read.end] !== ',') throw unparsable();
    pos = read.end + 1;
  }
}

/**
 * One per-device parameter's string as libvirt's getters print it: `path,value` for each device whose value is
 * set, in the devices' order, joined by commas; `''` when none is.
 */
export function formatBlkioDeviceList(devices: readonly BlkioDevice[], param: BlkioDeviceParamName): string {
  const field = BLKIO_DEVICE_PARAM_INFO[param].field;
  const parts: string[] = [];
  for (const d of readList(devices, 'blkio devices', invalidArgument) as BlkioDevice[]) {
    const v = d[field];
    if (v !== undefined && v !== 0 && v !== 0n) parts.push(`${d.path},${v}`);
  }
  return parts.join(',');
}
