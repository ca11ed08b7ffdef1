import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { invalidAttr, missingAttr } from './attr-error.js';
import { UNLIMITED } from '../memory/params.js';
import type { DomainDef, DomainDevices, DomainOS, DomainVcpu, MemBalloon } from './domain-def.js';
import { parseDocument } from './document.js';
import { tokenize, writtenTextOf } from './tokenizer.js';
import {
  CRASH_ACTIONS, DEVICES_SLOTS, DOMAIN_SLOTS, DOMAIN_TYPES, LIFECYCLE_ACTIONS, MEMBALLOON_MODELS,
  MEMBALLOON_SLOTS, OS_SLOTS, OS_TYPES,
} from './domain-layout.js';
import { placeKept, scanChildren } from './layout.js';
import { memoryDevicesKiB, readMemoryDevice, validateMemoryDevice } from './memory-device.js';
import { isDefaultMemtune, readMemtune, readScaled } from './memtune.js';
import { checkDomainName } from './name.js';
import { extras, type DomainPassthrough } from './passthrough.js';
import { hasBlkiotuneValues, readBlkiotune } from './blkiotune.js';
import { checkCputune, readCputune } from './cputune.js';
import { attrOf, checkDepth, contentOf, otherAttrs, type RawElementNode } from './raw.js';
import { LLONG_MAX_BYTES, bytesToKiB, parseScaledInteger, parseUnsignedDecimal } from './units.js';
import { generateUUID, parseUUID } from './uuid.js';
import { intern, internAmount } from './intern.js';
import { ownStrings } from './own-strings.js';
import { validateDomainDocument } from './validate.js';
import { readPlainDocument } from './well-formed.js';

/** Options of {@link parseDomainXML}. */
export interface ParseDomainOptions {
  /** Check the document against schemas/domain.rng (default true). */
  validate?: boolean;
}

const D = ErrorDomain.DOMAIN;

function xmlError(info: string): VirError {
  return new VirError(ErrorCode.XML_ERROR, D, info);
}

function unsupported(info: string): VirError {
  return new VirError(ErrorCode.CONFIG_UNSUPPORTED, D, info);
}

/** Text of an element, or undefined when absent or empty (libvirt's virXPathString). */
function textOf(el: RawElementNode | undefined): string | undefined {
  if (!el) return undefined;
  const t = contentOf(el);
  return t === '' ? undefined : t;
}

/** A memory size element in KiB (libvirt's virDomainParseMemory with its LLONG_MAX byte cap). */
function memoryKiB(el: RawElementNode | undefined, where: string): bigint | undefined {
  const v = readScaled(el);
  if (!v) return undefined;
  const kib = bytesToKiB(parseScaledInteger(v.text, v.unit, 1024n, LLONG_MAX_BYTES, where));
  if (kib > UNLIMITED) throw new VirError(ErrorCode.OVERFLOW, ErrorDomain.DOMAIN, 'size value too large');
  return internAmount(kib);
}

const NO_ATTRS: ReadonlySet<string> = new Set();
const UNIT_ATTR: ReadonlySet<string> = new Set(['unit']);
const MAXMEM_ATTRS: ReadonlySet<string> = new Set(['unit', 'slots']);
const VCPU_ATTRS: ReadonlySet<string> = new Set(['placement', 'current']);
const DOMAIN_ATTRS: ReadonlySet<string> = new Set(['type', 'id']);
const OSTYPE_ATTRS: ReadonlySet<string> = new Set(['arch', 'machine']);
const MODEL_ATTR: ReadonlySet<string> = new Set(['model']);


const UINT_MAX = 0xffffffffn;
const INT_MAX = 0x7fffffffn;

/** `<vcpu>` as libvirt 9.0's virDomainVcpuParse reads it: count, then `current`, then `placement`. */
function readVcpu(el: RawElementNode | undefined): DomainVcpu {
  if (!el) return { count: 1, placement: 'static' };
  const count = parseUnsignedDecimal(contentOf(el));
  if (count === undefined || count > UINT_MAX) throw xmlError('maximum vcpus count must be an integer');
  const curText = attrOf(el, 'current');
  let cur: bigint | undefined;
  if (curText !== undefined) {
    cur = parseUnsignedDecimal(curText);
    if (cur === undefined || cur > UINT_MAX) {
      throw invalidAttr('current', 'vcpu', curText, ' Expected non-negative integer value');
    }
  }
  const placement = attrOf(el, 'placement') ?? 'static';
  if (placement !== 'static' && placement !== 'auto') throw invalidAttr('placement', 'vcpu', placement);
  const vcpu: DomainVcpu = { count: Number(count), placement: placement === 'static' ? 'static' : 'auto' };
  if (cur !== undefined) {
    if (cur > count) throw unsupported('maximum vCPU count must not be less than current vCPU count');
    if (cur !== 0n && cur !== count) vcpu.current = Number(cur);
  }
  return vcpu;
}

/**
 * libvirt 9.0 reports a zero vCPU count this way (its vCPU bitmap check fails), after reading the vCPU element
 * and `<cputune>`'s values.
 */
function checkVcpuCount(vcpu: DomainVcpu): void {
  if (vcpu.count === 0) throw new VirError(ErrorCode.INTERNAL_ERROR, D, 'CPU IDs in <numa> exceed the <vcpu> count');
}

/**
 * `<os>`'s record with `arch` and `machine` among its first properties when the document has them: a property
 * added after an object is made goes to a separate backing store (40 bytes more per definition). The keys come
 * in the order they always had.
 */
function osRecord(type: string, boot: string[], arch: string | undefined, machine: string | undefined): DomainOS {
  if (arch !== undefined) {
    return machine !== undefined
      ? { type, boot, initargs: [], arch: intern(arch), machine: intern(machine) }
      : { type, boot, initargs: [], arch: intern(arch) };
  }
  return machine !== undefined ? { type, boot, initargs: [], machine: intern(machine) } : { type, boot, initargs: [] };
}

function readOS(el: RawElementNode | undefined, pt: DomainPassthrough, depth: number): DomainOS {
  if (!el) throw xmlError('an os <type> must be specified');
  const scan = scanChildren(el, OS_SLOTS, depth);
  const typeEl = scan.modeled.get('type')?.[0];
  const type = textOf(typeEl);
  if (type === undefined) throw xmlError('an os <type> must be specified');
  if (!OS_TYPES.has(type)) throw unsupported(`unknown OS type '${type}'`);
  // Exactly sized arrays and shared strings: a stored definition is held for the domain's lifetime.
  const boot = (scan.modeled.get('boot') ?? []).map((b) => {
    const dev = attrOf(b, 'dev');
    if (dev === undefined) throw xmlError('missing boot device');
    return intern(dev);
  });
  const os = osRecord(intern(type), boot, attrOf(typeEl, 'arch'), attrOf(typeEl, 'machine'));
  for (const key of ['kernel', 'initrd', 'cmdline', 'init'] as const) {
    const v = textOf(scan.modeled.get(key)?.[0]);
    if (v !== undefined) os[key] = v;
  }
  for (const a of scan.modeled.get('initarg') ?? []) os.initargs.push(contentOf(a));
  const kept = placeKept(scan, OS_SLOTS, (n) =>
    n === 'initarg' ? os.initargs.length > 0 : n === 'boot' ? os.boot.length > 0 : os[n as 'init'] !== undefined,
  );
  const ex = extras(otherAttrs(el, NO_ATTRS), kept);
  if (ex) pt.os = ex;
  const typeAttrs = otherAttrs(typeEl, OSTYPE_ATTRS);
  if (typeAttrs) pt.osType = typeAttrs;
  return os;
}

/** `<memballoon>` as libvirt 9.0 reads it; a missing, zero or negative stats period means none. */
function readMemballoon(el: RawElementNode, pt: DomainPassthrough, depth: number): MemBalloon {
  checkDepth(depth);
  const model = attrOf(el, 'model');
  if (model === undefined) throw missingAttr('model', 'memballoon');
  if (!MEMBALLOON_MODELS.has(model)) throw invalidAttr('model', 'memballoon', model);
  // Kept, not modelled, but read as libvirt reads them (virXMLPropTristateSwitch): exactly 'on' or 'off'.
  for (const attr of ['autodeflate', 'freePageReporting']) {
    const v = attrOf(el, attr);
    if (v !== undefined && v !== 'on' && v !== 'off') throw invalidAttr(attr, 'memballoon', v);
  }
  const mb: MemBalloon = { model: intern(model) };
  const scan = scanChildren(el, MEMBALLOON_SLOTS, depth);
  const stats = scan.modeled.get('stats')?.[0];
  const p = attrOf(stats, 'period');
  if (p !== undefined) {
    // virStrToLong_i: white space, a sign, digits, within int.
    const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(p);
    const period = m ? BigInt(m[2]!) : undefined;
    if (period === undefined || period > (m![1] === '-' ? INT_MAX + 1n : INT_MAX)) {
      throw invalidAttr('period', 'stats', p, ' Expected integer value');
    }
    if (m![1] !== '-' && period > 0n) mb.statsPeriod = Number(period);
  }
  const kept = placeKept(scan, MEMBALLOON_SLOTS, () => mb.statsPeriod !== undefined);
  const ex = extras(otherAttrs(el, MODEL_ATTR), kept);
  if (ex) pt.memballoon = ex;
  return mb;
}

function readDevices(el: RawElementNode | undefined, pt: DomainPassthrough, depth: number, live: boolean): DomainDevices {
  const devices: DomainDevices = {};
  if (!el) return devices;
  const scan = scanChildren(el, DEVICES_SLOTS, depth);
  const emulator = textOf(scan.modeled.get('emulator')?.[0]);
  if (emulator !== undefined) devices.emulator = emulator;
  const balloons = scan.modeled.get('memballoon') ?? [];
  if (balloons.length > 1) {
    throw new VirError(ErrorCode.INTERNAL_ERROR, D, 'only a single memory balloon device is supported');
  }
  const mb = balloons[0];
  if (mb) devices.memballoon = readMemballoon(mb, pt, depth + 1);
  const memoryDevices = (scan.modeled.get('memory') ?? []).map((m) => readMemoryDevice(m, depth + 1, live));
  if (memoryDevices.length > 0) devices.memory = memoryDevices;
  const kept = placeKept(scan, DEVICES_SLOTS, (n) => devices[n as keyof DomainDevices] !== undefined);
  const ex = extras(otherAttrs(el, NO_ATTRS), kept);
  if (ex) pt.devices = ex;
  return devices;
}

function lifecycle(el: RawElementNode | undefined, name: string, allowed: ReadonlySet<string>, dflt: string): string {
  const v = textOf(el);
  if (v === undefined) return dflt;
  if (!allowed.has(v)) throw unsupported(`unknown ${name} action: ${v}`);
  return intern(v);
}

/**
 * Builds a DomainDef from a parsed `<domain>` element, with libvirt's defaults and error messages, reading the
 * parts in libvirt 9.0's order (so a document with several faults gets the error libvirt gives): type, name,
 * uuid, os type, title, memory sizes, blkiotune, memtune, vcpu, cputune, lifecycle actions, devices, then the
 * post-parse checks and libvirt's range checks of cputune.
 * A missing uuid is generated, currentMemory defaults to (and is capped at) memory, vcpu defaults to 1
 * and lifecycle actions to destroy/restart/destroy.
 */
export function readDomain(root: RawElementNode): DomainDef {
  const depth = 1;
  const pt: DomainPassthrough = {};
  const type = attrOf(root, 'type');
  if (type === undefined) throw new VirError(ErrorCode.INTERNAL_ERROR, D, 'missing domain type attribute');
  if (!DOMAIN_TYPES.has(type)) throw unsupported(`invalid domain type ${type}`);
  const scan = scanChildren(root, DOMAIN_SLOTS, depth);
  const first = (n: string): RawElementNode | undefined => scan.modeled.get(n)?.[0];

  const nameEl = first('name');
  const name = textOf(nameEl);
  if (name === undefined) throw new VirError(ErrorCode.NO_NAME, D);
  const only = nameEl!.children.length === 1 ? nameEl!.children[0]! : undefined;
  checkDomainName(name, (only && writtenTextOf(only)) ?? name);
  const uuidText = textOf(first('uuid'));
  const uuid = uuidText === undefined ? generateUUID() : parseUUID(uuidText);
  // libvirt reads the OS type with the domain's capabilities, right after the ids.
  const os = readOS(first('os'), pt, depth + 1);
  const title = textOf(first('title'));
  if (title?.includes('\n')) throw xmlError("Domain title can't contain newlines");
  const description = textOf(first('description'));

  const memoryEl = first('memory');
  const memory = memoryKiB(memoryEl, './memory[1]') ?? 0n;
  const currentEl = first('currentMemory');
  const currentMemory = memoryKiB(currentEl, './currentMemory[1]') ?? 0n;

  const maxMemEl = first('maxMemory');
  let maxMemory: DomainDef['maxMemory'];
  if (maxMemEl) {
    const value = memoryKiB(maxMemEl, './maxMemory[1]') ?? 0n;
    const slotsText = attrOf(maxMemEl, 'slots');
    // An empty attribute is an absent one (virXPathUInt), so it meets the "both must be specified" check.
    const slots = slotsText === undefined || slotsText === '' ? 0n : parseUnsignedDecimal(slotsText);
    if (slots === undefined || slots > UINT_MAX) throw xmlError('Failed to parse memory slot count');
    if (value !== 0n || slots !== 0n) maxMemory = { value, slots: Number(slots) };
  }

  const blkiotune = readBlkiotune(scan.modeled.get('blkiotune') ?? []);
  const memtune = readMemtune(first('memtune'));
  const vcpu = readVcpu(first('vcpu'));
  const cputune = readCputune(scan.modeled.get('cputune') ?? [], depth + 1);
  checkVcpuCount(vcpu);

  const def: DomainDef = {
    type: intern(type),
    name,
    uuid,
    memory,
    currentMemory: currentMemory === 0n || currentMemory > memory ? memory : currentMemory,
    memtune,
    vcpu,
    os,
    onPoweroff: lifecycle(first('on_poweroff'), 'on_poweroff', LIFECYCLE_ACTIONS, 'destroy'),
    onReboot: lifecycle(first('on_reboot'), 'on_reboot', LIFECYCLE_ACTIONS, 'restart'),
    onCrash: lifecycle(first('on_crash'), 'on_crash', CRASH_ACTIONS, 'destroy'),
    // A document with an id is a running domain's (status XML): it may carry state such as virtio-mem's <current>.
    devices: readDevices(first('devices'), pt, depth + 1, attrOf(root, 'id') !== undefined),
  };
  const id = attrOf(root, 'id');
  if (id !== undefined && /^[0-9]{1,9}$/.test(id)) def.id = Number(id);

  if (blkiotune) def.blkiotune = blkiotune;
  if (cputune.cputune) def.cputune = cputune.cputune;
  if (cputune.extras) pt.cputune = cputune.extras;
  if (title !== undefined) def.title = title;
  if (description !== undefined) def.description = description;

  // libvirt's post-parse checks, made after everything else is read (so they come after other errors).
  if (memory === 0n) throw xmlError('Memory size must be specified via <memory> or in the <numa> configuration');
  // <memory> is the total: boot memory plus every memory device.
  if (memoryDevicesKiB(def.devices.memory) > memory) throw xmlError('Total size of memory devices exceeds the total memory size');
  if (maxMemory) {
    if (maxMemory.value === 0n || maxMemory.slots === 0) {
      throw xmlError('both maximum memory size and memory slot count must be specified');
    }
    if (maxMemory.value < memory) {
      throw xmlError('maximum memory size must be equal or greater than the actual memory size');
    }
    def.maxMemory = maxMemory;
  }
  for (const dev of def.devices.memory ?? []) validateMemoryDevice(dev);
  if (def.cputune) checkCputune(def.cputune);

  const kept = placeKept(scan, DOMAIN_SLOTS, (n) => {
    if (n === 'memtune') return !isDefaultMemtune(def.memtune);
    if (n === 'blkiotune') return hasBlkiotuneValues(def.blkiotune);
    if (n === 'cputune') return def.cputune !== undefined || pt.cputune !== undefined;
    return def[n as 'title' | 'description' | 'maxMemory'] !== undefined;
  });
  const rootExtras = extras(otherAttrs(root, DOMAIN_ATTRS), kept);
  if (rootExtras) pt.domain = rootExtras;
  const memAttrs = otherAttrs(memoryEl, UNIT_ATTR);
  if (memAttrs) pt.memory = memAttrs;
  const curAttrs = otherAttrs(currentEl, UNIT_ATTR);
  if (curAttrs) pt.currentMemory = curAttrs;
  const maxAttrs = otherAttrs(maxMemEl, MAXMEM_ATTRS);
  if (maxAttrs) pt.maxMemory = maxAttrs;
  const vcpuAttrs = otherAttrs(first('vcpu'), VCPU_ATTRS);
  if (vcpuAttrs) pt.vcpu = vcpuAttrs;
  if (Object.keys(pt).length > 0) def.passthrough = pt;
  return def;
}

/**
 * Parses libvirt domain XML into a {@link DomainDef}. Elements and attributes virtune does not model are kept
 * in `passthrough` and written back in their places by {@link formatDomainXML}.
 *
 * Untrusted input is safe: DTDs and entities are refused, size and nesting are bounded, invalid UTF-8 and NUL
 * characters are errors (see docs/xml.md).
 *
 * @example
 * ```ts
 * const def = parseDomainXML("<domain type='test'><name>vm</name><memory>1048576</memory><os><type>hvm</type></os></domain>");
 * def.memtune.hardLimit === UNLIMITED; // true
 * ```
 * @throws VirError with libvirt's code and message (XML_ERROR, XML_DETAIL, NO_NAME, OVERFLOW, INVALID_ARG,
 *   CONFIG_UNSUPPORTED, XML_INVALID_SCHEMA).
 */
export function parseDomainXML(xml: string | Uint8Array, opts: ParseDomainOptions = {}): DomainDef {
  // A plainly well-formed text needs no libxml2 document unless the schema has to run (see well-formed.ts).
  const plain = typeof xml === 'string' ? readPlainDocument(xml) : undefined;
  const { doc, text } = plain ? { doc: undefined, text: xml as string } : parseDocument(xml, 'domain_definition', D);
  const root = plain ?? tokenize(text);
  if (root.name !== 'domain') {
    throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.XML, `expecting root element of 'domain', not '${root.name}'`);
  }
  const def = readDomain(root);
  if (opts.validate !== false) validateDomainDocument(doc, text, root);
  // The definition outlives the document: none of its strings may be a view into the text.
  ownStrings(def);
  return def;
}

/**
 * Checks that a domain document would be accepted: the safety limits, libvirt's rules and schemas/domain.rng.
 *
 * @throws VirError as {@link parseDomainXML} does.
 */
export function validateDomainXML(xml: string | Uint8Array): void {
  parseDomainXML(xml, { validate: true });
}
