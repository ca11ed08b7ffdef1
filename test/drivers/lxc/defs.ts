import { randomUUID } from 'node:crypto';
import { emptyMemTune } from '../../../src/memory/params.js';
import type { DomainDef, MemTune } from '../../../src/xml/domain-def.js';

/** A container definition as the XML parser would produce it. */
export function lxcDef(name: string, memtune: Partial<MemTune> = {}, memoryKiB = 1 << 20): DomainDef {
  return {
    type: 'lxc',
    name,
    uuid: randomUUID(),
    memory: memoryKiB,
    currentMemory: memoryKiB,
    memtune: { ...emptyMemTune(), ...memtune },
    vcpu: { count: 1 },
    os: { type: 'exe', boot: [], init: '/bin/sh', initargs: [] },
    devices: {},
  };
}

/** The XML of a container that runs `script` under /bin/sh. */
export function lxcXML(name: string, script: string, extra = '', memoryKiB = 1048576): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<domain type='lxc'>
  <name>${esc(name)}</name>
  <memory unit='KiB'>${memoryKiB}</memory>
  ${extra}
  <os>
    <type>exe</type>
    <init>/bin/sh</init>
    <initarg>-c</initarg>
    <initarg>${esc(script)}</initarg>
  </os>
</domain>`;
}
