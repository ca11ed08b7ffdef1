import { describe, expect, it } from 'vitest';
import { buildQemuCommand } from '../../../src/drivers/qemu/command-line.js';
import { planRequested } from '../../../src/drivers/qemu/virtio-mem.js';
import { ErrorCode } from '../../../src/errors.js';
import type { MemoryDevice } from '../../../src/xml/domain-def.js';
import { domainDef, type DefPatch } from '../../helpers/domain-def.js';

const qemuDef = (patch: DefPatch = {}) => domainDef('qemu', patch);

const paths = { monitorFd: 3 };
const vmem = (size: bigint, requested = 0n, block = 2048n, node?: number): MemoryDevice => ({
  model: 'virtio-mem',
  size,
  ...(node === undefined ? {} : { node }),
  virtioMem: { block, requested },
});
// 256 MiB boot memory, then 512 MiB and 256 MiB of virtio-mem.
const def = qemuDef({
  memory: 1048576n,
  maxMemory: { value: 2097152n, slots: 2 },
  devices: { memory: [vmem(524288n, 4096n), vmem(262144n, 0n, 4096n, 0)] },
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
    ['no maxMemory', qemuDef({ memory: 524288n, devices: { memory: [vmem(262144n)] } }), "cannot use/hotplug a memory device when domain 'maxMemory' is not defined"],
    ['a dimm', qemuDef({ memory: 524288n, maxMemory: { value: 1048576n, slots: 1 }, devices: { memory: [{ model: 'dimm', size: 262144n }] } }),
      "memory device model 'dimm' is not supported by virtune's QEMU driver"],
  ])('refuses %s', (_why, d, message) => {
    expect(() => buildQemuCommand(d, paths)).toThrow(expect.objectContaining({ code: ErrorCode.CONFIG_UNSUPPORTED, message: `unsupported configuration: ${message}` }));
  });

  it('plans what each device holds: boot memory first, whole blocks, in order, nothing below the boot size', () => {
    expect(planRequested(def, 200_000n)).toEqual([0n, 0n]);
    expect(planRequested(def, 262144n)).toEqual([0n, 0n]);
    expect(planRequested(def, 262145n)).toEqual([2048n, 0n]);
    expect(planRequested(def, 786432n)).toEqual([524288n, 0n]);
    expect(planRequested(def, 786433n)).toEqual([524288n, 4096n]);
    expect(planRequested(def, 1048576n)).toEqual([524288n, 262144n]);
    expect(() => planRequested(def, 1048577n)).toThrow(expect.objectContaining({ code: ErrorCode.OPERATION_INVALID }));
  });
});
