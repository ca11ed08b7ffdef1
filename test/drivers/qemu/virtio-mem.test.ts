import { describe, expect, it } from 'vitest';
import { buildQemuCommand } from '../../../src/drivers/qemu/command-line.js';
import { planRequested } from '../../../src/drivers/qemu/virtio-mem.js';
import { ErrorCode } from '../../../src/errors.js';
import type { MemoryDevice } from '../../../src/xml/domain-def.js';
import { domainDef, type DefPatch } from '../../helpers/domain-def.js';

const qemuDef = (patch: DefPatch = {}) => domainDef('qemu', patch);

const paths = { monitorSocket: '/run/virtune/qemu/vm1.monitor' };
const vmem = (size: number, requested = 0, block = 2048, node?: number): MemoryDevice => ({
  model: 'virtio-mem',
  size,
  ...(node === undefined ? {} : { node }),
  virtioMem: { block, requested },
});
// 256 MiB boot memory, then 512 MiB and 256 MiB of virtio-mem.
const def = qemuDef({
  memory: 1048576,
  maxMemory: { value: 2097152, slots: 2 },
  devices: { memory: [vmem(524288, 4096), vmem(262144, 0, 4096, 0)] },
});

describe('virtio-mem on the QEMU command line', () => {
  it('gives -m the boot memory and adds a backend and a device for each virtio-mem device', () => {
    const { args } = buildQemuCommand(def, paths);
    expect(args[args.indexOf('-m') + 1]).toBe('size=262144k,slots=2,maxmem=2097152k');
    expect(args.slice(args.indexOf('-object'))).toEqual([
      '-object', 'memory-backend-ram,id=memvirtiomem0,size=524288k',
      '-device', 'virtio-mem-pci,id=virtiomem0,memdev=memvirtiomem0,requested-size=4096k,block-size=2048k',
      '-object', 'memory-backend-ram,id=memvirtiomem1,size=262144k',
      '-device', 'virtio-mem-pci,id=virtiomem1,memdev=memvirtiomem1,node=0,requested-size=0k,block-size=4096k',
    ]);
  });

  it.each([
    ['no maxMemory', qemuDef({ memory: 524288, devices: { memory: [vmem(262144)] } }), "cannot use/hotplug a memory device when domain 'maxMemory' is not defined"],
    ['a dimm', qemuDef({ memory: 524288, maxMemory: { value: 1048576, slots: 1 }, devices: { memory: [{ model: 'dimm', size: 262144 }] } }),
      "memory device model 'dimm' is not supported by virtune's QEMU driver"],
  ])('refuses %s', (_why, d, message) => {
    expect(() => buildQemuCommand(d, paths)).toThrow(expect.objectContaining({ code: ErrorCode.CONFIG_UNSUPPORTED, message: `unsupported configuration: ${message}` }));
  });

  it('plans what each device holds: boot memory first, whole blocks, in order, nothing below the boot size', () => {
    expect(planRequested(def, 200_000)).toEqual([0, 0]);
    expect(planRequested(def, 262144)).toEqual([0, 0]);
    expect(planRequested(def, 262145)).toEqual([2048, 0]);
    expect(planRequested(def, 786432)).toEqual([524288, 0]);
    expect(planRequested(def, 786433)).toEqual([524288, 4096]);
    expect(planRequested(def, 1048576)).toEqual([524288, 262144]);
    expect(() => planRequested(def, 1048577)).toThrow(expect.objectContaining({ code: ErrorCode.OPERATION_INVALID }));
  });
});
