import { ErrorDomain } from '../../errors.js';
import type { DomainDef } from '../../xml/domain-def.js';
import type { ResolvedAffect } from '../common/affect.js';
import { commitDefinitionChange } from '../common/definition-change.js';
import type { DomainObject } from '../common/domain-objects.js';
import { hasMemballoon, noBalloonForPeriod } from '../common/memballoon.js';
import { setBalloonStatsPeriod } from './balloon.js';
import type { QemuDriverState } from './qemu-state.js';

/** QEMU gives a domain a virtio balloon unless it says `<memballoon model='none'/>` (libvirt adds the element). */
function withPeriod(def: DomainDef, period: number): DomainDef {
  const balloon = def.devices.memballoon ?? { model: 'virtio' };
  if (!hasMemballoon({ ...def, devices: { ...def.devices, memballoon: balloon } })) throw noBalloonForPeriod(ErrorDomain.QEMU);
  return { ...def, devices: { ...def.devices, memballoon: { ...balloon, statsPeriod: period } } };
}

/**
 * qemuDomainSetMemoryStatsPeriod: the live side through QMP (`guest-stats-polling-interval`), the persistent side
 * in `<memballoon><stats period>`; both saved, or neither (the old live period is put back on failure).
 */
export async function setStatsPeriod(obj: DomainObject, period: number, affect: ResolvedAffect, state: QemuDriverState): Promise<void> {
  const live = affect.live ? withPeriod(obj.def('live'), period) : undefined;
  const config = affect.config ? withPeriod(obj.def('config'), period) : undefined;
  const before = obj.live?.devices.memballoon?.statsPeriod ?? 0;
  await commitDefinitionChange(
    obj,
    {
      ...(live ? { live } : {}),
      ...(config ? { config } : {}),
      applyLive: async () => {
        const qmp = await state.monitor(obj);
        await setBalloonStatsPeriod(qmp, period);
        return { rollback: () => setBalloonStatsPeriod(qmp, before) };
      },
    },
    state.savers,
  );
}
