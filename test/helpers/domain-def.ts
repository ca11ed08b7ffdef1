import { randomUUID } from 'node:crypto';
import { emptyMemTune } from '../../src/memory/params.js';
import type { DomainDef, MemTune } from '../../src/xml/domain-def.js';

/** The driver types a test builds definitions for. */
export type DefType = 'test' | 'lxc' | 'qemu';

/** Fields to override; `memtune` is merged into the empty memtune, and `memory` also sets `currentMemory`. */
export type DefPatch = Partial<Omit<DomainDef, 'memtune'>> & { memtune?: Partial<MemTune> };

/** What the XML parser gives for each type's smallest document (no memtune, one vCPU). */
const BASE: Readonly<Record<DefType, Pick<DomainDef, 'memory' | 'os'>>> = {
  test: { memory: 1024n, os: { type: 'hvm', boot: [], initargs: [] } },
  lxc: { memory: 1n << 20n, os: { type: 'exe', boot: [], init: '/bin/sh', initargs: [] } },
  qemu: { memory: 262144n, os: { type: 'hvm', boot: [], initargs: [] } },
};

/** A memtune with `t`'s fields set and the others unset (UNLIMITED, min_guarantee and swap_soft absent). */
export function memTune(t: Partial<MemTune> = {}): MemTune {
  return { ...emptyMemTune(), ...t };
}

/**
 * A definition of driver `type` as the XML parser would produce it: the one DomainDef builder of the tests.
 * Name `vm1` and a fresh UUID unless `patch` says otherwise.
 */
export function domainDef(type: DefType, patch: DefPatch = {}): DomainDef {
  const { memtune, ...rest } = patch;
  const base = BASE[type];
  const memory = rest.memory ?? base.memory;
  return {
    type,
    name: 'vm1',
    uuid: randomUUID(),
    memory,
    currentMemory: memory,
    vcpu: { count: 1 },
    os: { ...base.os, boot: [...base.os.boot], initargs: [...base.os.initargs] },
    devices: {},
    ...rest,
    memtune: memTune(memtune),
  };
}
