import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { BLKIO_DEVICE_FIELDS, hasBlkioDeviceValues } from './blkiotune.js';
import type { BlkioTune } from './domain-def.js';
import { escapeText, indent } from './writer.js';

const UINT_MAX = 0xffffffff;
const ULLONG_MAX = (1n << 64n) - 1n;

function invalid(what: string, range: string, v: unknown): VirError {
  const shown = typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? JSON.stringify(v) : String(v);
  return new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `blkiotune ${what} must be ${range}, not ${shown}`);
}

function checkWeight(v: unknown, what: string): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > UINT_MAX)) {
    throw invalid(what, `an integer from 0 to ${UINT_MAX}`, v);
  }
}

function checkThrottle(v: unknown, what: string, max: bigint): void {
  if (v !== undefined && (typeof v !== 'bigint' || v < 0n || v > max)) throw invalid(what, `a bigint from 0n to ${max}n`, v);
}

/**
 * Checks a BlkioTune about to be written: what the parser gives back (weights 0..UINT_MAX, iops 0..UINT_MAX,
 * bytes/s 0..ULLONG_MAX, a non-empty path, each path once). Anything else is the caller's bug and is reported.
 *
 * @throws VirError INVALID_ARG for a bad value, CONFIG_UNSUPPORTED `duplicate blkio device path '/dev/sda'`.
 */
export function checkBlkiotune(bt: BlkioTune): void {
  checkWeight(bt.weight, 'weight');
  if (!Array.isArray(bt.devices)) throw invalid('devices', 'an array', bt.devices);
  const seen = new Set<string>();
  for (const d of bt.devices) {
    if (typeof d?.path !== 'string' || d.path === '') throw invalid('device path', 'a non-empty string', d?.path);
    for (const [name, field, uint] of BLKIO_DEVICE_FIELDS) {
      if (field === 'weight') checkWeight(d.weight, `device ${name}`);
      else checkThrottle(d[field], `device ${name}`, uint ? BigInt(UINT_MAX) : ULLONG_MAX);
    }
    if (seen.has(d.path)) {
      throw new VirError(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, `duplicate blkio device path '${d.path}'`);
    }
    seen.add(d.path);
  }
}

/**
 * `<blkiotune>` in libvirt's canonical form (virDomainDefFormatBlkiotune): `<weight>`, then each device with a
 * value: `<path>`, `<weight>`, `<read_iops_sec>`, `<write_iops_sec>`, `<read_bytes_sec>`, `<write_bytes_sec>`.
 * Values of 0 are not written, nor a device without any, nor an empty `<blkiotune>`.
 *
 * @param depth indentation level of `<blkiotune>` itself (1 inside `<domain>`).
 * @returns the element with a trailing newline, or '' when there is nothing to print.
 */
export function formatBlkiotune(bt: BlkioTune | undefined, depth = 0): string {
  if (!bt) return '';
  checkBlkiotune(bt);
  const i1 = indent(depth + 1);
  const i2 = indent(depth + 2);
  let body = bt.weight ? `${i1}<weight>${bt.weight}</weight>\n` : '';
  for (const d of bt.devices) {
    if (!hasBlkioDeviceValues(d)) continue;
    body += `${i1}<device>\n${i2}<path>${escapeText(d.path)}</path>\n`;
    for (const [name, field] of BLKIO_DEVICE_FIELDS) {
      const v = d[field];
      if (v) body += `${i2}<${name}>${v}</${name}>\n`;
    }
    body += `${i1}</device>\n`;
  }
  return body === '' ? '' : `${indent(depth)}<blkiotune>\n${body}${indent(depth)}</blkiotune>\n`;
}
