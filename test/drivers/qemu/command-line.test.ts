import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { buildQemuCommand, qemuOpt } from '../../../src/drivers/qemu/command-line.js';
import { domainDef, type DefPatch } from '../../helpers/domain-def.js';

/** A QEMU definition with a fixed UUID, so whole command lines can be compared. */
const qemuDef = (patch: DefPatch = {}) => domainDef('qemu', { uuid: 'c7a5fdbd-cdaf-9455-926a-d65c16db1809', ...patch });

const paths = { monitorFd: 3 };

/** The value following `flag`, each time it occurs. */
function values(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}

describe('buildQemuCommand', () => {
  it('builds the whole command line of a minimal domain', () => {
    expect(buildQemuCommand(qemuDef(), paths)).toEqual({
      emulator: 'qemu-system-x86_64',
      hasBalloon: true,
      args: [
        '-name', 'guest=vm1',
        '-uuid', 'c7a5fdbd-cdaf-9455-926a-d65c16db1809',
        '-S',
        '-no-user-config', '-nodefaults', '-nographic', '-display', 'none',
        '-machine', 'pc',
        '-accel', 'tcg,tb-size=32',
        '-m', 'size=262144k',
        '-smp', '1',
        '-chardev', 'socket,id=charmonitor,fd=3,server=on,wait=off',
        '-mon', 'chardev=charmonitor,id=monitor,mode=control',
        '-device', 'virtio-balloon-pci,id=balloon0',
      ],
    });
  });

  it('writes memory with maxMemory slots in KiB', () => {
    const { args } = buildQemuCommand(qemuDef({ memory: 524288n, maxMemory: { value: 1048576n, slots: 16 } }), paths);
    expect(values(args, '-m')).toEqual(['size=524288k,slots=16,maxmem=1048576k']);
  });

  it('uses current and maximum vCPUs', () => {
    expect(values(buildQemuCommand(qemuDef({ vcpu: { count: 4, current: 2 } }), paths).args, '-smp')).toEqual(['2,maxcpus=4']);
    expect(values(buildQemuCommand(qemuDef({ vcpu: { count: 2 } }), paths).args, '-smp')).toEqual(['2']);
  });

  it('boots a kernel directly', () => {
    const def = qemuDef({
      os: { type: 'hvm', boot: [], initargs: [], kernel: '/k/vmlinuz', initrd: '/k/initrd.gz', cmdline: 'console=ttyS0 quiet' },
    });
    const { args } = buildQemuCommand(def, paths);
    expect(values(args, '-kernel')).toEqual(['/k/vmlinuz']);
    expect(values(args, '-initrd')).toEqual(['/k/initrd.gz']);
    expect(values(args, '-append')).toEqual(['console=ttyS0 quiet']);
  });

  it('follows the emulator, machine and accelerator of the definition', () => {
    const cmd = buildQemuCommand(
      qemuDef({ type: 'kvm', os: { type: 'hvm', boot: [], initargs: [], machine: 'microvm' }, devices: { emulator: '/opt/qemu' } }),
      paths,
    );
    expect(cmd.emulator).toBe('/opt/qemu');
    expect(values(cmd.args, '-machine')).toEqual(['microvm']);
    expect(values(cmd.args, '-accel')).toEqual(['kvm']);
    // microvm has no PCI bus: the balloon sits on virtio-mmio
    expect(values(cmd.args, '-device')).toEqual(['virtio-balloon-device,id=balloon0']);
  });

  it("leaves the balloon out for <memballoon model='none'/>", () => {
    const cmd = buildQemuCommand(qemuDef({ devices: { memballoon: { model: 'none' } } }), paths);
    expect(cmd.hasBalloon).toBe(false);
    expect(values(cmd.args, '-device')).toEqual([]);
  });

  it('adds a serial log and doubles commas inside option values', () => {
    const cmd = buildQemuCommand(qemuDef({ name: 'a,b' }), { monitorFd: 3, serialLog: '/l/a,b.log' });
    expect(values(cmd.args, '-name')).toEqual(['guest=a,,b']);
    expect(values(cmd.args, '-chardev')).toEqual([
      'socket,id=charmonitor,fd=3,server=on,wait=off',
      'file,id=charserial0,path=/l/a,,b.log',
    ]);
    expect(values(cmd.args, '-serial')).toEqual(['chardev:charserial0']);
    expect(qemuOpt('x')).toBe('x');
  });

  it.each([
    [{ type: 'lxc' }, "domain type 'lxc' is not supported by the QEMU driver"],
    [{ os: { type: 'exe', boot: [], initargs: [] } }, "Emulator 'qemu-system-x86_64' does not support os type 'exe'"],
    [{ memory: 0 }, 'memory size must be greater than zero'],
    [{ maxMemory: { value: 1024, slots: 1 } }, 'maximum memory size must be equal or greater than the actual memory size'],
    [{ vcpu: { count: 2, current: 3 } }, 'Invalid number of current vCPUs'],
    [{ devices: { memballoon: { model: 'xen' } } }, "memballoon model 'xen' is not supported"],
  ] as const)('refuses an unrunnable definition %o', (patch, msg) => {
    expect(() => buildQemuCommand(qemuDef(patch as never), paths)).toThrow(
      expect.objectContaining({ code: ErrorCode.CONFIG_UNSUPPORTED, message: `unsupported configuration: ${msg}` }),
    );
  });
});
