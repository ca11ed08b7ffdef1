import { readFileSync } from 'node:fs';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { UNLIMITED } from '../memory/params.js';
import { invalidAttr, missingAttr } from './attr-error.js';
import type { MemoryDevice, VirtioMemTarget } from './domain-def.js';
import { MEMORY_DEVICE_MODELS, MEMORYDEV_SLOTS, MEMORYDEV_TARGET_SLOTS } from './domain-layout.js';
import { placeKept, scanChildren, type Extras } from './layout.js';
import { readScaled } from './memtune.js';
import { extras } from './passthrough.js';
import { attrOf, checkDepth, contentOf, keepNode, otherAttrs, type RawElementNode } from './raw.js';
import { LLONG_MAX_BYTES, bytesToKiB, parseScaledInteger, parseUnsignedDecimal } from './units.js';

/** What a memory device keeps verbatim: its other attributes and children, and its target's. */
export interface MemoryDevicePassthrough {
  device?: Extras;
  target?: Extras;
}

const MODEL_ATTR: ReadonlySet<string> = new Set(['model']);
const NO_ATTRS: ReadonlySet<string> = new Set();

/** A size element of the target in KiB; undefined when absent. */
function targetKiB(el: RawElementNode | undefined, where: string): bigint | undefined {
  const v = readScaled(el);
  if (!v) return undefined;
  const kib = bytesToKiB(parseScaledInteger(v.text, v.unit, 1024n, LLONG_MAX_BYTES, where));
  if (kib > UNLIMITED) throw new VirError(ErrorCode.OVERFLOW, ErrorDomain.DOMAIN, 'size value too large');
  return kib;
}

/**
 * A `<devices><memory>` element as libvirt 9.0 reads it: `model` required, a `<target>` with a `<size>`; for
 * virtio-mem also `<block>`, `<requested>` and, in a running domain's XML (`live`), `<current>`; absent sizes read
 * as 0, block included, which validation then refuses. What else a device holds is kept.
 */
export function readMemoryDevice(el: RawElementNode, depth: number, live: boolean): MemoryDevice {
  checkDepth(depth);
  const model = attrOf(el, 'model');
  if (model === undefined) throw missingAttr('model', 'memory');
  if (!MEMORY_DEVICE_MODELS.has(model)) throw invalidAttr('model', 'memory', model);
  const scan = scanChildren(el, MEMORYDEV_SLOTS, depth);
  const targetEl = scan.modeled.get('target')?.[0];
  if (!targetEl) throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, 'missing <target> element for <memory> device');
  const t = scanChildren(targetEl, MEMORYDEV_TARGET_SLOTS, depth + 1);
  const child = (n: string) => t.modeled.get(n)?.[0];
  const size = targetKiB(child('size'), './size');
  if (size === undefined) throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.XML, "missing element or attribute './size'");
  const virtio = model === 'virtio-mem';
  const result: MemoryDevice = { model, size };
  const nodeEl = child('node');
  if (nodeEl) {
    const n = parseUnsignedDecimal(contentOf(nodeEl).trim());
    if (n === undefined || n > 0x7fffffffn) throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, 'invalid value of memory device node');
    result.node = Number(n);
  }
  if (virtio) {
    const vm: VirtioMemTarget = {
      block: targetKiB(child('block'), './block') ?? 0n,
      requested: targetKiB(child('requested'), './requested') ?? 0n,
    };
    // What the guest has plugged is state: read from a running domain's XML only, as libvirt reads it from status.
    const current = live ? targetKiB(child('current'), './current') : undefined;
    if (current !== undefined) vm.current = current;
    result.virtioMem = vm;
  }
  const pt: MemoryDevicePassthrough = {};
  const dev = extras(otherAttrs(el, MODEL_ATTR), placeKept(scan, MEMORYDEV_SLOTS, () => true));
  if (dev) pt.device = dev;
  // label and readonly are nvdimm's: kept for it, dropped for virtio-mem as libvirt drops them.
  const keptTarget = t.pending.concat(virtio ? [] : keptByName(t, ['label', 'readonly'], depth + 1));
  const tgt = extras(otherAttrs(targetEl, NO_ATTRS), placeKept({ ...t, pending: keptTarget }, MEMORYDEV_TARGET_SLOTS, () => true));
  if (tgt) pt.target = tgt;
  if (pt.device || pt.target) result.passthrough = pt;
  return result;
}

/** Modelled-but-kept children (nvdimm's label and readonly) as kept nodes at their ranks. */
function keptByName(scan: ReturnType<typeof scanChildren>, names: readonly string[], depth: number) {
  return names.flatMap((n) =>
    (scan.modeled.get(n) ?? []).map((el) => ({ rank: MEMORYDEV_TARGET_SLOTS.rank.get(n)!, node: keepNode(el, depth), candidates: undefined })),
  );
}

let thpKiB: bigint | undefined;

/** The host's transparent huge page size, KiB (libvirt's virHostMemGetTHPSize; 2 MiB when unknown). */
export function hostTHPSizeKiB(): bigint {
  if (thpKiB === undefined) {
    try {
      thpKiB = BigInt(readFileSync('/sys/kernel/mm/transparent_hugepage/hpage_pmd_size', 'utf8').trim()) / 1024n || 2048n;
    } catch {
      thpKiB = 2048n;
    }
  }
  return thpKiB;
}

/** libvirt's virDomainMemoryDefValidate for virtio-mem, with its words and order. */
export function validateMemoryDevice(dev: MemoryDevice): void {
  const vm = dev.virtioMem;
  if (!vm) return;
  const bad = (why: string): never => {
    throw new VirError(ErrorCode.XML_DETAIL, ErrorDomain.DOMAIN, why);
  };
  if (vm.requested > dev.size) bad(`requested size must be smaller than or equal to @size (${dev.size}KiB)`);
  if (vm.block <= 0n || (vm.block & (vm.block - 1n)) !== 0n) bad('block size must be a power of two');
  const thp = hostTHPSizeKiB();
  if (vm.block < thp) bad(`block size too small, must be at least ${thp}KiB`);
  if (vm.requested % vm.block !== 0n) bad('requested size must be an integer multiple of block size');
}

/** The sum of the memory devices' sizes, KiB: what `<memory>` holds beyond the boot memory. */
export function memoryDevicesKiB(devices: readonly MemoryDevice[] | undefined): bigint {
  return (devices ?? []).reduce((sum, d) => sum + d.size, 0n);
}
