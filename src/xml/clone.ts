import type { DomainDef } from './domain-def.js';

/** A deep copy of a definition (passthrough included): definitions are plain data. */
export function cloneDomainDef(def: DomainDef): DomainDef {
  return structuredClone(def);
}
