import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import type { DomainDef, MemoryDevice } from '../../xml/domain-def.js';
import type { QmpClient } from './qmp-client.js';
import { qmpBigInt, type QmpObject } from './qmp-json.js';

/**
 * virtio-mem: memory beyond the boot size that a running guest plugs and unplugs in blocks. `<memory>` is the
 * total (boot memory plus every device's `<size>`, libvirt's rule), so the boot memory is what QEMU's `-m` gets.
 */

/** The QOM id of the i-th virtio-mem device (libvirt's alias) and of its memory backend. */
export function virtioMemId(i: number): string {
  return `virtiomem${i}`;
}
function backendId(i: number): string {
  return `memvirtiomem${i}`;
}

/** The virtio-mem devices of a definition with their indexes among them. */
function virtioMems(def: DomainDef): { dev: MemoryDevice & { virtioMem: NonNullable<MemoryDevice['virtioMem']> }; i: number }[] {
  return (def.devices.memory ?? [])
    .filter((d): d is MemoryDevice & { virtioMem: NonNullable<MemoryDevice['virtioMem']> } => d.virtioMem !== undefined)
    .map((dev, i) => ({ dev, i }));
}

/** The boot memory: `<memory>` less every memory device, KiB. */
export function bootMemoryKiB(def: DomainDef): bigint {
  return def.memory - (def.devices.memory ?? []).reduce((s, d) => s + d.size, 0n);
}

/** The memory devices QEMU refuses here, with libvirt's words where it has them. */
export function validateMemoryDevicesForQemu(def: DomainDef): void {
  const bad = (why: string): never => {
    throw new VirError(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, why);
  };
  const devices = def.devices.memory ?? [];
  if (devices.length === 0) return;
  if (!def.maxMemory) bad("cannot use/hotplug a memory device when domain 'maxMemory' is not defined");
  for (const d of devices) if (!d.virtioMem) bad(`memory device model '${d.model}' is not supported by virtune's QEMU driver`);
  if ((def.os.machine ?? '').startsWith('microvm')) bad('virtio-mem needs a PCI bus, which the microvm machine has not');
}

/** `-object memory-backend-ram` and `-device virtio-mem-pci` for each virtio-mem device, sizes in KiB. */
export function virtioMemArgs(def: DomainDef): string[] {
  return virtioMems(def).flatMap(({ dev, i }) => {
    const vm = dev.virtioMem;
    const node = dev.node === undefined ? '' : `,node=${dev.node}`;
    return [
      '-object', `memory-backend-ram,id=${backendId(i)},size=${dev.size}k`,
      '-device', `virtio-mem-pci,id=${virtioMemId(i)},memdev=${backendId(i)}${node},requested-size=${vm.requested}k,block-size=${vm.block}k`,
    ];
  });
}

/**
 * How much each virtio-mem device is asked to hold so the guest has `kib` in all: the boot memory first, then the
 * devices in order, each rounded up to its block and at most its size. Below the boot memory every device goes to
 * zero (the balloon does the rest).
 *
 * @throws VirError OPERATION_INVALID when the devices cannot hold what is asked beyond the boot memory.
 */
export function planRequested(def: DomainDef, kib: bigint): bigint[] {
  const boot = bootMemoryKiB(def);
  let need = kib > boot ? kib - boot : 0n;
  const plan = virtioMems(def).map(({ dev }) => {
    const block = dev.virtioMem.block;
    const whole = dev.size - (dev.size % block);
    const wanted = ((need + block - 1n) / block) * block;
    const take = whole < wanted ? whole : wanted;
    need = need > take ? need - take : 0n;
    return take;
  });
  if (need > 0n) {
    throw new VirError(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, `no virtio-mem device can hold the ${need} KiB asked beyond the boot memory`);
  }
  return plan;
}

/** Whether the definition has a virtio-mem device. */
export function hasVirtioMem(def: DomainDef): boolean {
  return virtioMems(def).length > 0;
}

/** The requested sizes a definition's devices hold now, as a plan. */
export function planOf(devices: DomainDef['devices']): bigint[] {
  return (devices.memory ?? []).flatMap((d) => (d.virtioMem ? [d.virtioMem.requested] : []));
}

/** Writes a plan into a definition's devices (their `<requested>`). */
export function applyPlanToDef(def: DomainDef, plan: readonly bigint[]): DomainDef {
  let k = 0;
  const memory = (def.devices.memory ?? []).map((d) => (d.virtioMem ? { ...d, virtioMem: { ...d.virtioMem, requested: plan[k++]! } } : d));
  return { ...def, devices: { ...def.devices, memory } };
}

/** Asks QEMU for each device's new requested size (only those that change from `def`'s). */
export async function setRequested(qmp: QmpClient, def: DomainDef, plan: readonly bigint[]): Promise<void> {
  for (const { dev, i } of virtioMems(def)) {
    if (plan[i] === dev.virtioMem.requested) continue;
    await qmp.execute('qom-set', { path: `/machine/peripheral/${virtioMemId(i)}`, property: 'requested-size', value: plan[i]! << 10n });
  }
}

/**
 * MEMORY_DEVICE_SIZE_CHANGE: the guest plugged or unplugged; its new size becomes the device's `<current>`.
 * Returns the device's alias and new size (KiB), or undefined when the event names no virtio-mem device of `live`.
 */
export function onSizeChange(live: DomainDef, data: QmpObject): { alias: string; sizeKiB: bigint } | undefined {
  const id = typeof data.id === 'string' ? data.id : undefined;
  const bytes = qmpBigInt(data.size);
  if (id === undefined || bytes === undefined) return undefined;
  const hit = virtioMems(live).find(({ i }) => virtioMemId(i) === id);
  if (!hit) return undefined;
  const sizeKiB = bytes >> 10n;
  hit.dev.virtioMem.current = sizeKiB;
  return { alias: id, sizeKiB };
}

/** Reads each device's plugged size from QEMU (`size`), to fill `<current>` when no event told it yet. */
export async function refreshCurrent(qmp: QmpClient, live: DomainDef): Promise<void> {
  for (const { dev, i } of virtioMems(live)) {
    const bytes = qmpBigInt(await qmp.execute('qom-get', { path: `/machine/peripheral/${virtioMemId(i)}`, property: 'size' }));
    if (bytes !== undefined) dev.virtioMem.current = bytes >> 10n;
  }
}
