import { emptyMemTune } from '../../src/memory/params.js';
import type { DomainDef } from '../../src/xml/domain-def.js';

/** The smallest definition the domain-object list accepts, as the parser would produce it. */
export function minimalDef(name: string, uuid: string): DomainDef {
  return {
    type: 'test',
    name,
    uuid,
    memory: 1024,
    currentMemory: 1024,
    memtune: emptyMemTune(),
    vcpu: { count: 1 },
    os: { type: 'hvm', boot: [], initargs: [] },
    devices: {},
  };
}
