import { BLKIO } from '../../cgroup/controllers.js';
import type { BlkioDeviceValues, BlkioValues } from '../../cgroup/blkio-values.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import type { TunablesStep } from '../../cgroup/tunables.js';
import type { BlkioTune } from '../../xml/domain-def.js';
import { blockDeviceNumber } from './block-device.js';

/**
 * The blkio cgroup change that enforces `tune` on a running domain: its weight (0 or absent: left alone) and,
 * per device path resolved to `MAJ:MIN`, the values the entry names (0 removes that limit). Devices `tune` does
 * not name are left alone. Resolving a path that is missing or no block device throws libvirt's error before
 * anything is written.
 */
export function blkioTuneSteps(domain: DomainCgroup, tune: Partial<BlkioTune>, resolve = blockDeviceNumber): TunablesStep[] {
  const devices: Record<string, BlkioDeviceValues> = {};
  for (const d of tune.devices ?? []) {
    devices[resolve(d.path)] = {
      ...(d.weight !== undefined ? { weight: d.weight } : {}),
      ...(d.readIopsSec !== undefined ? { readIops: d.readIopsSec } : {}),
      ...(d.writeIopsSec !== undefined ? { writeIops: d.writeIopsSec } : {}),
      ...(d.readBytesSec !== undefined ? { readBps: d.readBytesSec } : {}),
      ...(d.writeBytesSec !== undefined ? { writeBps: d.writeBytesSec } : {}),
    };
  }
  const next: BlkioValues = {
    ...(tune.weight !== undefined && tune.weight !== 0 ? { weight: tune.weight } : {}),
    ...(Object.keys(devices).length > 0 ? { devices } : {}),
  };
  return Object.keys(next).length > 0 ? [{ tunables: domain.tunables(BLKIO), next }] : [];
}

/** The weight the domain's blkio cgroup holds (libvirt's live getter reads it; device lists come from the definition). */
export function blkioWeightOf(domain: DomainCgroup, how: 'read' | 'known'): number | undefined {
  const t = domain.tunables(BLKIO);
  return (how === 'read' ? t.read() : t.known()).weight;
}
