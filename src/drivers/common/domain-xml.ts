import type { DomainDef } from '../../xml/domain-def.js';
import { formatDomainXML } from '../../xml/index.js';

/**
 * A definition's XML as the LXC and QEMU drivers print and store it: libvirt's form, ending in a newline as
 * virsh prints it. `inactive` leaves out what only a running domain has (its id).
 */
export function formatDriverDomainXML(def: DomainDef, inactive: boolean): string {
  const out = formatDomainXML(def, { inactive });
  return out.endsWith('\n') ? out : `${out}\n`;
}
