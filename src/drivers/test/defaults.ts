import type { DomainDef } from '../../xml/domain-def.js';
import { applyDefaultClock } from '../../xml/default-clock.js';
import { generateUUID } from '../../xml/uuid.js';

/**
 * What libvirt's test driver fills in after parsing a definition (its capabilities give `hvm` guests an i686
 * arch; libvirt's generic post-parse gives a boot device, a static vcpu placement, the on_* actions and a
 * currentMemory no larger than memory; its XML parser gives every domain a UTC clock). Only missing values are
 * filled, so applying it twice changes nothing.
 */
export function applyTestDefaults(def: DomainDef): DomainDef {
  if (!def.uuid) def.uuid = generateUUID();
  if (def.os.type === 'hvm' && !def.os.arch) def.os.arch = 'i686';
  if (def.os.type === 'hvm' && def.os.boot.length === 0 && !def.os.kernel) def.os.boot = ['hd'];
  if (!def.vcpu.count) def.vcpu.count = 1;
  if (!def.vcpu.placement) def.vcpu.placement = 'static';
  if (!def.currentMemory || def.currentMemory > def.memory) def.currentMemory = def.memory;
  def.onPoweroff ??= 'destroy';
  def.onReboot ??= 'restart';
  def.onCrash ??= 'destroy';
  return applyDefaultClock(def);
}
