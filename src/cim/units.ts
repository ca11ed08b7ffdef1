import { CimError, CimStatus } from './status.js';

/** What virtune writes in AllocationUnits: libvirt-cim's word for KiB (1024 bytes), libvirt's unit. */
export const ALLOCATION_UNITS_KIB = 'KiloBytes';

// libvirt-cim's words and DSP0004's programmatic units for the same binary multiples of a byte.
const SHIFT_BY_UNIT: ReadonlyMap<string, number> = new Map([
  ['bytes', 0],
  ['byte', 0],
  ['kilobytes', 10],
  ['byte*2^10', 10],
  ['megabytes', 20],
  ['byte*2^20', 20],
  ['gigabytes', 30],
  ['byte*2^30', 30],
  ['terabytes', 40],
  ['byte*2^40', 40],
]);

/**
 * How many bytes one unit of `units` is, as a power of two. Case and blanks do not matter (`byte * 2^20`).
 *
 * @throws CimError CIM_ERR_INVALID_PARAMETER for anything else (decimal units such as `byte*10^3` included:
 *   libvirt's tunables are binary).
 */
export function unitShift(units: string): number {
  const shift = SHIFT_BY_UNIT.get(units.replace(/\s+/g, '').toLowerCase());
  if (shift === undefined) {
    throw new CimError(
      CimStatus.INVALID_PARAMETER,
      `AllocationUnits '${units}' is not understood: use KiloBytes (or Bytes, MegaBytes, GigaBytes, byte*2^N)`,
    );
  }
  return shift;
}

/** `amount` units of 2^shift bytes, in KiB, rounded up as libvirt rounds bytes up to whole KiB. */
export function toKiB(amount: bigint, shift: number): bigint {
  if (shift >= 10) return amount << BigInt(shift - 10);
  const bytes = amount << BigInt(shift);
  return (bytes + 1023n) >> 10n;
}
