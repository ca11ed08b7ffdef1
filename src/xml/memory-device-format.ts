import type { MemoryDevice } from './domain-def.js';
import { MEMORYDEV_SLOTS, MEMORYDEV_TARGET_SLOTS } from './domain-layout.js';
import { writeMerged, type ModeledWriter } from './layout.js';
import type { MemoryDevicePassthrough } from './memory-device.js';
import type { RawNode } from './raw.js';
import { checkKiB } from './units.js';
import { formatAttrs, type XmlLines } from './writer.js';

// Printing apart from reading: reading pulls in the XML parser, printing must not (see docs/architecture.md).

const KIB = ` unit='KiB'`;

/** Writes a memory device as libvirt does: sizes in KiB, virtio-mem's `<current>` only in live XML. */
export function writeMemoryDevice(out: XmlLines, depth: number, dev: MemoryDevice, inactive: boolean): void {
  const pt = (dev.passthrough ?? {}) as MemoryDevicePassthrough;
  const vm = dev.virtioMem;
  const kept = (d: number) => (n: RawNode) => out.raw(d, n);
  out.parent(depth, 'memory', formatAttrs([['model', dev.model]]) + (pt.device?.attrs ? formatAttrs(pt.device.attrs) : ''), () => {
    const target: ModeledWriter = [
      MEMORYDEV_SLOTS.rank.get('target')!,
      () =>
        out.parent(depth + 1, 'target', pt.target?.attrs ? formatAttrs(pt.target.attrs) : '', () => {
          const r = (n: string) => MEMORYDEV_TARGET_SLOTS.rank.get(n)!;
          const d = depth + 2;
          const m: ModeledWriter[] = [[r('size'), () => out.textElement(d, 'size', String(checkKiB(dev.size, 'memory device size')), KIB)]];
          if (dev.node !== undefined) m.push([r('node'), () => out.textElement(d, 'node', String(dev.node))]);
          if (vm) {
            m.push(
              [r('block'), () => out.textElement(d, 'block', String(checkKiB(vm.block, 'memory device block')), KIB)],
              [r('requested'), () => out.textElement(d, 'requested', String(checkKiB(vm.requested, 'memory device requested size')), KIB)],
            );
            if (!inactive) m.push([r('current'), () => out.textElement(d, 'current', String(checkKiB(vm.current ?? 0n, 'memory device current size')), KIB)]);
          }
          writeMerged(m, pt.target?.children, kept(d));
        }),
    ];
    writeMerged([target], pt.device?.children, kept(depth + 1));
  });
}
