import { parseDomainXML } from '../../xml/index.js';
import { applyDefaultClock } from '../../xml/default-clock.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { buildQemuCommand, MONITOR_FD } from './command-line.js';

/**
 * Parses a definition for the QEMU driver and applies QEMU's rules: `<domain type='qemu'|'kvm'>`, `hvm`, a virtio
 * balloon unless `<memballoon model='none'/>`
 * (libvirt adds the same default device).
 */
export function parseQemuDomainXML(text: string, validate = false): DomainDef {
  const def = parseDomainXML(text, { validate });
  checkQemuDef(def);
  if (def.devices.memballoon === undefined) def.devices.memballoon = { model: 'virtio' };
  return applyDefaultClock(def);
}

/**
 * Refuses what the QEMU driver cannot run, with libvirt's errors; changes nothing. `<min_guarantee>` is accepted
 * (libvirt's QEMU refuses it): it is honoured by admission control at start, see `common/admission.ts`.
 */
export function checkQemuDef(def: DomainDef): void {
  // The command-line builder holds the remaining rules; building one (and dropping it) checks them.
  buildQemuCommand(def, { monitorFd: MONITOR_FD });
}
