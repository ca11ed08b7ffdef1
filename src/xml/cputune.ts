import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { strToLongLong, strToULongLong } from './c-number.js';
import type { CpuTune } from './domain-def.js';
import { CPUTUNE_SLOTS } from './domain-layout.js';
import { placeKept, scanChildren, type Extras, type PlacedNode } from './layout.js';
import { extras } from './passthrough.js';
import { contentOf, firstChildOf, otherAttrs, type RawElementNode } from './raw.js';

import {
  CPU_PERIOD_MAX, CPU_PERIOD_MIN, CPU_QUOTA_MAX, CPU_QUOTA_MIN, CPU_SHARES_MAX, CPU_SHARES_MIN,
} from './cpu-ranges.js';

type Kind = 'shares' | 'period' | 'quota';

/**
 * The values of `<cputune>` virtune models, in libvirt's order (its parse order and its output order):
 * element, CpuTune field, what kind of number it is, and the name libvirt's parse error gives it.
 */
export const CPUTUNE_FIELDS = [
  ['shares', 'shares', 'shares', 'shares'],
  ['period', 'period', 'period', 'period'],
  ['quota', 'quota', 'quota', 'quota'],
  ['global_period', 'globalPeriod', 'period', 'global period'],
  ['global_quota', 'globalQuota', 'quota', 'global quota'],
  ['emulator_period', 'emulatorPeriod', 'period', 'emulator period'],
  ['emulator_quota', 'emulatorQuota', 'quota', 'emulator quota'],
  ['iothread_period', 'iothreadPeriod', 'period', 'iothread period'],
  ['iothread_quota', 'iothreadQuota', 'quota', 'iothread quota'],
] as const satisfies ReadonlyArray<readonly [string, keyof CpuTune, Kind, string]>;

/** True when the value is printed: shares whenever given (0 included), a period or quota when not 0. */
export function isSetCputuneValue(kind: Kind, v: bigint | undefined): v is bigint {
  return v !== undefined && (kind === 'shares' || v !== 0n);
}

/** True when `ct` has a value libvirt would print. */
export function hasCputuneValues(ct: CpuTune | undefined): boolean {
  return ct !== undefined && CPUTUNE_FIELDS.some(([, field, kind]) => isSetCputuneValue(kind, ct[field]));
}

function unsupported(message: string): VirError {
  return new VirError(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, message);
}

/**
 * libvirt's checks of the values (virDomainDefCputuneValidate, made when a definition is defined, after
 * everything is read): shares 0 or 2..262144, each period 0 or 1000..1000000, each quota negative, 0, or
 * 1000..17592186044415. Periods are checked before quotas, as libvirt does.
 *
 * @throws VirError CONFIG_UNSUPPORTED `Value of cputune 'period' must be in range [1000, 1000000]`.
 */
export function checkCputune(ct: CpuTune): void {
  const s = ct.shares;
  if (s !== undefined && s > 0n && (s < CPU_SHARES_MIN || s > CPU_SHARES_MAX)) {
    throw unsupported(`Value of cputune 'shares' must be in range [${CPU_SHARES_MIN}, ${CPU_SHARES_MAX}]`);
  }
  for (const want of ['period', 'quota'] as const) {
    const [min, max] = want === 'period' ? [CPU_PERIOD_MIN, CPU_PERIOD_MAX] : [CPU_QUOTA_MIN, CPU_QUOTA_MAX];
    for (const [name, field, kind] of CPUTUNE_FIELDS) {
      const v = ct[field];
      if (kind === want && v !== undefined && v > 0n && (v < min || v > max)) {
        throw unsupported(`Value of cputune '${name}' must be in range [${min}, ${max}]`);
      }
    }
  }
}

const NO_ATTRS: ReadonlySet<string> = new Set();

/**
 * Reads the `<cputune>` elements of a domain (normally one; libvirt's XPath reads the first of each value across
 * all of them) as libvirt 9.0's parser does: an empty value is not set; shares and periods are read with
 * virStrToLong_ullp (no minus sign), quotas with virStrToLong_ll; a period or quota of 0 is not set, shares of 0
 * is. Everything else in them (vcpupin, emulatorpin, comments, ...) is kept, placed by libvirt's order.
 * Ranges are checked apart, by {@link checkCputune}, as libvirt checks them after parsing.
 *
 * @param depth nesting level of `<cputune>` itself (2 in a domain), for the depth limit of what is kept.
 * @throws VirError XML_ERROR `can't parse cputune period value` for a value that is no such number.
 */
export function readCputune(
  els: readonly RawElementNode[],
  depth: number,
): { cputune: CpuTune | undefined; extras: Extras | undefined } {
  if (els.length === 0) return { cputune: undefined, extras: undefined };
  const ct: CpuTune = {};
  for (const [name, field, kind, label] of CPUTUNE_FIELDS) {
    const el = firstChildOf(els, name);
    const text = el ? contentOf(el) : '';
    if (text === '') continue;
    const v = kind === 'quota' ? strToLongLong(text) : strToULongLong(text, true);
    if (v === undefined) {
      throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, `can't parse cputune ${label} value`);
    }
    if (isSetCputuneValue(kind, v)) ct[field] = v;
  }
  const printed = (n: string): boolean => {
    const f = CPUTUNE_FIELDS.find(([name]) => name === n)!;
    return ct[f[1]] !== undefined;
  };
  let kept: PlacedNode[] = [];
  for (const el of els) kept.push(...placeKept(scanChildren(el, CPUTUNE_SLOTS, depth), CPUTUNE_SLOTS, printed));
  // Several <cputune> (only without validation) become one: their kept children merged by rank, stably.
  if (els.length > 1) kept = kept.sort((a, b) => a.rank - b.rank);
  return {
    cputune: Object.keys(ct).length > 0 ? ct : undefined,
    extras: extras(otherAttrs(els[0], NO_ATTRS), kept),
  };
}
