import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { CPUTUNE_FIELDS, checkCputune, isSetCputuneValue } from './cputune.js';
import type { CpuTune } from './domain-def.js';
import { CPUTUNE_SLOTS } from './domain-layout.js';
import { writeMerged, type Extras, type ModeledWriter } from './layout.js';
import { formatAttrs, type XmlLines } from './writer.js';

const ULLONG_MAX = (1n << 64n) - 1n;
const LLONG_MAX = (1n << 63n) - 1n;

/** A value about to be written must be one the parser gives: a bigint of the C type libvirt reads it into. */
function checkType(v: unknown, name: string, signed: boolean): void {
  const [min, max] = signed ? [-LLONG_MAX - 1n, LLONG_MAX] : [0n, ULLONG_MAX];
  if (typeof v !== 'bigint' || v < min || v > max) {
    throw new VirError(
      ErrorCode.INVALID_ARG,
      ErrorDomain.DOMAIN,
      `cputune ${name} must be a bigint from ${min}n to ${max}n, not ${typeof v === 'bigint' ? `${v}n` : String(v)}`,
    );
  }
}

/**
 * Writes `<cputune>` as libvirt does (virDomainCputuneDefFormat): shares, period, quota, global_period,
 * global_quota, emulator_period, emulator_quota, iothread_period, iothread_quota, then the kept elements in
 * libvirt's order (vcpupin, emulatorpin, iothreadpin, vcpusched, ...). Shares is written whenever given, a
 * period or quota when not 0; nothing at all when there is nothing to write.
 *
 * @param depth indentation level of `<cputune>` (1 inside `<domain>`).
 * @throws VirError INVALID_ARG for a value of the wrong type, CONFIG_UNSUPPORTED (libvirt's message) for one
 *   out of libvirt's range: what the parser would refuse is not written.
 */
export function writeCputune(out: XmlLines, depth: number, ct: CpuTune | undefined, ex: Extras | undefined): void {
  const m: ModeledWriter[] = [];
  if (ct) {
    for (const [name, field, kind] of CPUTUNE_FIELDS) {
      const v = ct[field];
      if (v === undefined) continue;
      checkType(v, name, kind === 'quota');
      if (isSetCputuneValue(kind, v)) {
        m.push([CPUTUNE_SLOTS.rank.get(name)!, () => out.textElement(depth + 1, name, String(v))]);
      }
    }
    checkCputune(ct);
  }
  if (m.length === 0 && !ex) return;
  out.parent(depth, 'cputune', ex?.attrs ? formatAttrs(ex.attrs) : '', () => {
    writeMerged(m, ex?.children, (n) => out.raw(depth + 1, n));
  });
}
