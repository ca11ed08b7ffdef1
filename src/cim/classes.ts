import type { CimType } from './model.js';
import { CimError, CimStatus } from './status.js';

/** The namespace libvirt-cim registered its classes in, and the only one virtune answers. */
export const CIM_NAMESPACE = 'root/virt';

/** libvirt-cim's class prefixes: `KVM_` for QEMU guests, `LXC_` for containers (`Xen_` has no driver here). */
export type ClassPrefix = 'KVM' | 'LXC';
export const CLASS_PREFIXES: readonly ClassPrefix[] = ['KVM', 'LXC'];

/** DMTF ResourceType values (CIM_ResourceAllocationSettingData.ResourceType). */
export const RESOURCE_TYPE_PROCESSOR = 3;
export const RESOURCE_TYPE_MEMORY = 4;

const MEM_RASD = 'MemResourceAllocationSettingData';
const PROC_RASD = 'ProcResourceAllocationSettingData';
const RASD = 'ResourceAllocationSettingData';

/**
 * The prefix of the classes a connection's domains appear under: LXC containers as `LXC_`, QEMU guests as
 * `KVM_`. The test driver (and anything else) stands in for KVM, as libvirt-cim had no test-driver classes.
 */
export function prefixForDriver(driverType: string): ClassPrefix {
  return driverType.toUpperCase() === 'LXC' ? 'LXC' : 'KVM';
}

/** `KVM_MemResourceAllocationSettingData` for `KVM`. */
export function memRasdClass(prefix: ClassPrefix): string {
  return `${prefix}_${MEM_RASD}`;
}

/** One property a class declares, in the order instances list them. */
export interface PropertyDecl {
  readonly name: string;
  readonly type: CimType;
  readonly key?: boolean;
}

/** What libvirt-cim's memory RASD carried, from CIM_ResourceAllocationSettingData. */
export const MEM_RASD_PROPERTIES: readonly PropertyDecl[] = [
  { name: 'InstanceID', type: 'string', key: true },
  { name: 'ResourceType', type: 'uint16' },
  { name: 'AllocationUnits', type: 'string' },
  { name: 'VirtualQuantity', type: 'uint64' },
  { name: 'Reservation', type: 'uint64' },
  { name: 'Limit', type: 'uint64' },
  { name: 'Weight', type: 'uint32' },
];

/** What a requested class name stands for. */
export type ClassRef =
  /** A memory RASD class: its instances are the domains' memory settings. */
  | { readonly kind: 'mem'; readonly prefix: ClassPrefix; readonly name: string }
  /** A parent class (`KVM_ResourceAllocationSettingData`, `CIM_ResourceAllocationSettingData`): enumerating it
   * gives its subclasses' instances, here the memory RASDs of `prefixes`. */
  | { readonly kind: 'parent'; readonly prefixes: readonly ClassPrefix[]; readonly name: string };

/**
 * Resolves a class name as a CIM server does (case-insensitively). A class virtune does not serve is
 * CIM_ERR_INVALID_CLASS; the processor RASD is CIM_ERR_NOT_SUPPORTED, because virtune has no CPU tuning yet.
 */
export function resolveClass(className: string): ClassRef {
  const lower = className.toLowerCase();
  if (lower === `cim_${RASD}`.toLowerCase()) return { kind: 'parent', prefixes: CLASS_PREFIXES, name: `CIM_${RASD}` };
  for (const prefix of CLASS_PREFIXES) {
    if (lower === `${prefix}_${MEM_RASD}`.toLowerCase()) return { kind: 'mem', prefix, name: memRasdClass(prefix) };
    if (lower === `${prefix}_${RASD}`.toLowerCase()) return { kind: 'parent', prefixes: [prefix], name: `${prefix}_${RASD}` };
    if (lower === `${prefix}_${PROC_RASD}`.toLowerCase()) {
      throw new CimError(
        CimStatus.NOT_SUPPORTED,
        `${prefix}_${PROC_RASD}: virtune has no CPU tuning yet, so there is no processor RASD to serve`,
      );
    }
  }
  throw new CimError(CimStatus.INVALID_CLASS, `The class '${className}' is not served in ${CIM_NAMESPACE}`);
}
