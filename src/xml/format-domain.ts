import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { formatBlkiotune } from './blkiotune-format.js';
import { writeCputune } from './cputune-format.js';
import type { DomainDef } from './domain-def.js';
import { DEVICES_SLOTS, DOMAIN_SLOTS, MEMBALLOON_SLOTS, OS_SLOTS } from './domain-layout.js';
import { writeMerged, type Extras, type ModeledWriter, type SlotTable } from './layout.js';
import { writeMemoryDevice } from './memory-device-format.js';
import { formatMemtune } from './memtune-format.js';
import { passthroughOf } from './passthrough.js';
import type { RawAttr } from './raw.js';
import { checkKiB } from './units.js';
import { XmlLines, formatAttrs } from './writer.js';

/** Options of {@link formatDomainXML}. */
export interface FormatDomainOptions {
  /** Inactive (persistent config) XML: leaves out `id`. */
  inactive?: boolean;
}

const KIB = ` unit='KiB'`;

const UINT_MAX = 0xffffffff;
const INT_MAX = 0x7fffffff;

/**
 * Checks a count about to be written: an integer within what the parser accepts for it. As with sizes
 * (checkKiB), a value that is not is the caller's bug and is reported rather than printed.
 */
function count(value: unknown, what: string, min: number, max: number): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `${what} must be an integer from ${min} to ${max}, not ${String(value)}`);
  }
  return String(value);
}

function rank(table: SlotTable, name: string): number {
  return table.rank.get(name)!;
}

function attrs(...parts: ReadonlyArray<readonly [string, string | undefined]>): string {
  return formatAttrs(parts);
}

function raw(a: RawAttr[] | undefined): string {
  return a ? formatAttrs(a) : '';
}

/** Writes kept children of an element between its modelled ones. */
function merge(out: XmlLines, depth: number, modeled: ModeledWriter[], ex: Extras | undefined): void {
  writeMerged(modeled, ex?.children, (n) => out.raw(depth, n));
}

/**
 * Writes a definition as libvirt does (virDomainDefFormat): its element order, `unit='KiB'` sizes,
 * two-space indentation, single-quoted attributes, a trailing newline; kept (unmodelled) XML goes back in
 * its place. The result is what `virsh dumpxml` prints, minus the extra blank line virsh adds after it.
 *
 * @example
 * ```ts
 * formatDomainXML(parseDomainXML(xml), { inactive: true });
 * ```
 */
export function formatDomainXML(def: DomainDef, opts: FormatDomainOptions = {}): string {
  const pt = passthroughOf(def.passthrough);
  const memory = String(checkKiB(def.memory, 'memory'));
  const currentMemory = String(checkKiB(def.currentMemory, 'currentMemory'));
  const out = new XmlLines();
  const showId = def.id !== undefined && def.id !== null && !opts.inactive;
  out.open(0, 'domain', attrs(['type', def.type], ['id', showId ? count(def.id, 'id', 0, INT_MAX) : undefined]) + raw(pt.domain?.attrs));
  const d = 1;
  const T = DOMAIN_SLOTS;
  const m: ModeledWriter[] = [
    [rank(T, 'name'), () => out.textElement(d, 'name', def.name)],
    [rank(T, 'uuid'), () => out.textElement(d, 'uuid', def.uuid)],
  ];
  if (def.title !== undefined) m.push([rank(T, 'title'), () => out.textElement(d, 'title', def.title!)]);
  if (def.description !== undefined) {
    m.push([rank(T, 'description'), () => out.textElement(d, 'description', def.description!)]);
  }
  if (def.maxMemory) {
    const mm = def.maxMemory;
    m.push([
      rank(T, 'maxMemory'),
      () => out.textElement(d, 'maxMemory', String(checkKiB(mm.value, 'maxMemory')), attrs(['slots', count(mm.slots, 'maxMemory slots', 1, UINT_MAX)]) + KIB + raw(pt.maxMemory)),
    ]);
  }
  m.push(
    [rank(T, 'memory'), () => out.textElement(d, 'memory', memory, raw(pt.memory) + KIB)],
    [rank(T, 'currentMemory'), () => out.textElement(d, 'currentMemory', currentMemory, KIB + raw(pt.currentMemory))],
    [rank(T, 'blkiotune'), () => out.append(formatBlkiotune(def.blkiotune, d))],
    [rank(T, 'memtune'), () => out.append(formatMemtune(def.memtune, d))],
    [rank(T, 'vcpu'), () => {
      const v = def.vcpu;
      const max = count(v.count, 'vcpu count', 1, UINT_MAX);
      const a = attrs(['placement', v.placement ?? 'static']) + raw(pt.vcpu) +
        attrs(['current', v.current !== undefined && v.current !== v.count ? count(v.current, 'vcpu current', 1, v.count) : undefined]);
      out.textElement(d, 'vcpu', max, a);
    }],
    [rank(T, 'cputune'), () => writeCputune(out, d, def.cputune, pt.cputune)],
    [rank(T, 'os'), () => writeOS(out, d, def, pt.os, pt.osType)],
    [rank(T, 'on_poweroff'), () => out.textElement(d, 'on_poweroff', def.onPoweroff ?? 'destroy')],
    [rank(T, 'on_reboot'), () => out.textElement(d, 'on_reboot', def.onReboot ?? 'restart')],
    [rank(T, 'on_crash'), () => out.textElement(d, 'on_crash', def.onCrash ?? 'destroy')],
    [rank(T, 'devices'), () => writeDevices(out, d, def, pt.devices, pt.memballoon, opts.inactive === true || !showId)],
  );
  merge(out, d, m, pt.domain);
  out.close(0, 'domain');
  return out.toString();
}

function writeOS(out: XmlLines, d: number, def: DomainDef, ex: Extras | undefined, typeAttrs: RawAttr[] | undefined): void {
  const os = def.os;
  const c = d + 1;
  out.parent(d, 'os', raw(ex?.attrs), () => {
    const m: ModeledWriter[] = [
      [rank(OS_SLOTS, 'type'), () => out.textElement(c, 'type', os.type, attrs(['arch', os.arch], ['machine', os.machine]) + raw(typeAttrs))],
    ];
    if (os.init !== undefined) m.push([rank(OS_SLOTS, 'init'), () => out.textElement(c, 'init', os.init!)]);
    const initargs = os.initargs ?? [];
    if (initargs.length > 0) {
      m.push([rank(OS_SLOTS, 'initarg'), () => initargs.forEach((a) => out.textElement(c, 'initarg', a))]);
    }
    for (const key of ['kernel', 'initrd', 'cmdline'] as const) {
      const v = os[key];
      if (v !== undefined) m.push([rank(OS_SLOTS, key), () => out.textElement(c, key, v)]);
    }
    const boot = os.boot ?? [];
    if (boot.length > 0) {
      m.push([rank(OS_SLOTS, 'boot'), () => boot.forEach((dev) => out.emptyElement(c, 'boot', attrs(['dev', dev])))]);
    }
    m.sort((a, b) => a[0] - b[0]);
    merge(out, c, m, ex);
  });
}

function writeDevices(
  out: XmlLines,
  d: number,
  def: DomainDef,
  ex: Extras | undefined,
  mbEx: Extras | undefined,
  inactive: boolean,
): void {
  const dev = def.devices ?? {};
  const c = d + 1;
  const m: ModeledWriter[] = [];
  if (dev.emulator !== undefined) m.push([rank(DEVICES_SLOTS, 'emulator'), () => out.textElement(c, 'emulator', dev.emulator!)]);
  const mb = dev.memballoon;
  if (mb) {
    m.push([rank(DEVICES_SLOTS, 'memballoon'), () => {
      out.parent(c, 'memballoon', attrs(['model', mb.model]) + raw(mbEx?.attrs), () => {
        const stats: ModeledWriter[] = [];
        if (mb.statsPeriod) {
          stats.push([rank(MEMBALLOON_SLOTS, 'stats'), () => out.emptyElement(c + 1, 'stats', attrs(['period', count(mb.statsPeriod, 'memballoon stats period', 1, INT_MAX)]))]);
        }
        merge(out, c + 1, stats, mbEx);
      });
    }]);
  }
  for (const md of dev.memory ?? []) m.push([rank(DEVICES_SLOTS, 'memory'), () => writeMemoryDevice(out, c, md, inactive)]);
  // libvirt always writes <devices>, an empty one as an open and a close tag on two lines.
  out.open(d, 'devices', raw(ex?.attrs));
  merge(out, c, m, ex);
  out.close(d, 'devices');
}
