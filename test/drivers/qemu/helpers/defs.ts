import type { DomainDef } from '../../../../src/xml/domain-def.js';
import { UNLIMITED } from '../../../../src/memory/params.js';

/** A minimal QEMU definition; `patch` overrides any field. */
export function qemuDef(patch: Partial<DomainDef> = {}): DomainDef {
  return {
    type: 'qemu',
    name: 'vm1',
    uuid: 'c7a5fdbd-cdaf-9455-926a-d65c16db1809',
    memory: 262144,
    currentMemory: 262144,
    memtune: { hardLimit: UNLIMITED, softLimit: UNLIMITED, minGuarantee: 0, swapHardLimit: UNLIMITED, swapSoftLimit: UNLIMITED },
    vcpu: { count: 1 },
    os: { type: 'hvm', boot: [], initargs: [] },
    devices: {},
    ...patch,
  };
}
