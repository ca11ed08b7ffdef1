import { MEMORY_HARD_LIMIT, MEMORY_MIN_GUARANTEE, UNLIMITED } from '../memory/params.js';
import { TypedParameterType, type TypedParameterInput } from '../typed-params/types.js';
import {
  MEM_RASD_PROPERTIES,
  RESOURCE_TYPE_MEMORY,
  memRasdClass,
  type ClassPrefix,
} from './classes.js';
import { findKey, type CimInstance, type CimInstanceName, type CimProperty } from './model.js';
import { CimError, CimStatus } from './status.js';
import { ALLOCATION_UNITS_KIB, toKiB, unitShift } from './units.js';

/**
 * The memory settings of one domain that a memory RASD shows, all in KiB, with libvirt's conventions: an unset
 * hard limit is {@link UNLIMITED}, an unset min_guarantee is 0.
 */
export interface MemorySettings {
  readonly domain: string;
  /** `<memory>`: the memory the domain boots with (DomainInfo.maxMem). */
  readonly bootKiB: bigint;
  readonly hardLimitKiB: bigint;
  readonly minGuaranteeKiB: bigint;
}

/** The tunables a ModifyInstance asks to change; a field left out stays as it is. */
export interface MemoryChange {
  hardLimitKiB?: bigint;
  minGuaranteeKiB?: bigint;
}

const MEM_SUFFIX = '/mem';
const UINT64_MAX = (1n << 64n) - 1n;

/** libvirt-cim's InstanceID of a domain's memory RASD: `NAME/mem`. */
export function memInstanceID(domain: string): string {
  return `${domain}${MEM_SUFFIX}`;
}

/** The domain an InstanceID names, or undefined when it is not a memory RASD's (`NAME/mem`). */
export function domainOfMemInstanceID(id: string): string | undefined {
  return id.endsWith(MEM_SUFFIX) && id.length > MEM_SUFFIX.length ? id.slice(0, -MEM_SUFFIX.length) : undefined;
}

export function memRasdName(prefix: ClassPrefix, domain: string): CimInstanceName {
  return { className: memRasdClass(prefix), keys: [{ name: 'InstanceID', value: memInstanceID(domain), valueType: 'string' }] };
}

/**
 * The memory RASD of a domain (tunables → instance). Limit is NULL when there is no hard limit; Weight is always
 * NULL (see docs/cim.md: soft_limit is an amount, Weight a share).
 */
export function memRasdInstance(prefix: ClassPrefix, s: MemorySettings): CimInstance {
  const values: Record<string, string | null> = {
    InstanceID: memInstanceID(s.domain),
    ResourceType: String(RESOURCE_TYPE_MEMORY),
    AllocationUnits: ALLOCATION_UNITS_KIB,
    VirtualQuantity: String(s.bootKiB),
    Reservation: String(s.minGuaranteeKiB),
    Limit: s.hardLimitKiB >= BigInt(UNLIMITED) ? null : String(s.hardLimitKiB),
    Weight: null,
  };
  return {
    className: memRasdClass(prefix),
    properties: MEM_RASD_PROPERTIES.map((d) => ({ name: d.name, type: d.type, value: values[d.name] ?? null })),
  };
}

/** A uint64 as CIM-XML writes it (decimal, optional `+`, blanks around it). */
function parseUint64(p: CimProperty): bigint {
  const text = p.value!.trim();
  if (!/^\+?\d+$/.test(text)) {
    throw new CimError(CimStatus.INVALID_PARAMETER, `Property ${p.name}: '${p.value}' is not a uint64`);
  }
  const n = BigInt(text);
  if (n > UINT64_MAX) throw new CimError(CimStatus.INVALID_PARAMETER, `Property ${p.name}: ${text} is out of range for uint64`);
  return n;
}

/**
 * The properties of a ModifiedInstance that are to be applied: every one the instance carries, or only those
 * `propertyList` names (DSP0200's ModifyInstance). Unknown names and wrong types are refused.
 */
function propertiesToApply(instance: CimInstance, propertyList: readonly string[] | undefined): Map<string, CimProperty> {
  const byName = new Map<string, CimProperty>();
  for (const p of instance.properties) {
    const decl = MEM_RASD_PROPERTIES.find((d) => d.name.toLowerCase() === p.name.toLowerCase());
    if (!decl) throw new CimError(CimStatus.NO_SUCH_PROPERTY, `${instance.className} has no property '${p.name}'`);
    if (p.type !== decl.type) {
      throw new CimError(CimStatus.TYPE_MISMATCH, `Property ${decl.name} is ${decl.type}, not ${p.type}`);
    }
    if (byName.has(decl.name)) throw new CimError(CimStatus.INVALID_PARAMETER, `Property ${decl.name} is given twice`);
    byName.set(decl.name, p);
  }
  if (propertyList === undefined) return byName;
  const chosen = new Map<string, CimProperty>();
  for (const name of propertyList) {
    const decl = MEM_RASD_PROPERTIES.find((d) => d.name.toLowerCase() === name.toLowerCase());
    if (!decl) throw new CimError(CimStatus.NO_SUCH_PROPERTY, `${instance.className} has no property '${name}'`);
    const p = byName.get(decl.name);
    // A listed property the instance leaves out is set to NULL (DSP0200).
    chosen.set(decl.name, p ?? { name: decl.name, type: decl.type, value: null });
  }
  return chosen;
}

/**
 * The change a modified memory RASD asks for (instance → tunables), checked against the domain's `current`
 * settings. Only what differs is returned, so a ModifyInstance of an unchanged instance changes nothing and a
 * driver that lacks a tunable is asked about it only when a client really changes it.
 *
 * @throws CimError for properties that cannot be expressed as tunables (see docs/cim.md); nothing is applied.
 */
export function memoryChangeFromRasd(
  name: CimInstanceName,
  instance: CimInstance,
  current: MemorySettings,
  propertyList?: readonly string[],
): MemoryChange {
  const props = propertiesToApply(instance, propertyList);
  const key = findKey(name, 'InstanceID')?.value;
  const id = props.get('InstanceID');
  if (id !== undefined && id.value !== key) {
    throw new CimError(CimStatus.INVALID_PARAMETER, `InstanceID '${id.value ?? ''}' does not match the instance name '${key ?? ''}'`);
  }
  const type = props.get('ResourceType');
  if (type?.value != null && type.value.trim() !== String(RESOURCE_TYPE_MEMORY)) {
    throw new CimError(CimStatus.INVALID_PARAMETER, `ResourceType ${type.value} is not ${RESOURCE_TYPE_MEMORY} (Memory)`);
  }
  const unitsText = props.get('AllocationUnits')?.value;
  const shift = unitShift(unitsText ?? ALLOCATION_UNITS_KIB);
  const kib = (p: CimProperty): bigint => toKiB(parseUint64(p), shift);

  const change: MemoryChange = {};
  const boot = props.get('VirtualQuantity');
  if (boot?.value != null && kib(boot) !== current.bootKiB) {
    throw new CimError(
      CimStatus.NOT_SUPPORTED,
      'VirtualQuantity is the memory the domain boots with (<memory>); it is not a tunable and cannot be changed here (use setmaxmem)',
    );
  }
  const reservation = props.get('Reservation');
  if (reservation !== undefined) {
    const v = reservation.value === null ? 0n : kib(reservation);
    if (v !== current.minGuaranteeKiB) change.minGuaranteeKiB = v;
  }
  const limit = props.get('Limit');
  if (limit !== undefined) {
    const v = limit.value === null ? BigInt(UNLIMITED) : kib(limit);
    if (v !== current.hardLimitKiB) change.hardLimitKiB = v;
  }
  const weight = props.get('Weight');
  if (weight?.value != null) {
    throw new CimError(
      CimStatus.NOT_SUPPORTED,
      'Weight cannot be expressed: memory has no relative share in libvirt (soft_limit is an amount in KiB, not a weight)',
    );
  }
  return change;
}

/** The typed parameters of a change, in libvirt's order (hard_limit, then min_guarantee). */
export function memoryChangeParams(change: MemoryChange): TypedParameterInput[] {
  const params: TypedParameterInput[] = [];
  if (change.hardLimitKiB !== undefined) params.push({ field: MEMORY_HARD_LIMIT, type: TypedParameterType.ULLONG, value: change.hardLimitKiB });
  if (change.minGuaranteeKiB !== undefined) {
    params.push({ field: MEMORY_MIN_GUARANTEE, type: TypedParameterType.ULLONG, value: change.minGuaranteeKiB });
  }
  return params;
}
