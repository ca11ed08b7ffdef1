import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import type { DomainDef } from '../../xml/domain-def.js';
import { bootMemoryKiB, validateMemoryDevicesForQemu, virtioMemArgs } from './virtio-mem.js';

/** The emulator used when the definition names none. */
export const DEFAULT_EMULATOR = 'qemu-system-x86_64';
/** The machine type used when `<os><type machine=...>` is absent. */
export const DEFAULT_MACHINE = 'pc';
/** The QOM id of the balloon device: QMP addresses it as /machine/peripheral/balloon0. */
export const BALLOON_ID = 'balloon0';

/**
 * The descriptor QEMU finds the QMP monitor's listening socket on: the launcher's stdio slot after stderr
 * (see monitor-listener.ts).
 */
export const MONITOR_FD = 3;

/** Files the command line refers to, chosen by the driver. */
export interface QemuCommandPaths {
  /** The descriptor of the QMP monitor's listening unix socket in QEMU, normally {@link MONITOR_FD}. */
  monitorFd: number;
  /** Where the guest's first serial port is written, if anywhere. */
  serialLog?: string;
}

/** An emulator and its arguments, ready for {@link spawnQemu}. */
export interface QemuCommand {
  emulator: string;
  args: string[];
  /** Whether the definition asks for a balloon (`<memballoon model='none'/>` does not). */
  hasBalloon: boolean;
}

/**
 * Turns a domain definition into a QEMU command line.
 *
 * QEMU starts paused (`-S`) so the driver can set the balloon target and the stats period before the guest runs,
 * as libvirt does. The accelerator follows `<domain type>`: `qemu` is TCG with a 32 MiB translation cache
 * (the default 1 GiB cache grows by megabytes a second and would count against the memory cgroup), `kvm` is KVM.
 *
 * @throws VirError CONFIG_UNSUPPORTED for a definition QEMU cannot run.
 */
export function buildQemuCommand(def: DomainDef, paths: QemuCommandPaths): QemuCommand {
  validateForQemu(def);
  const machine = def.os.machine ?? DEFAULT_MACHINE;
  const args: string[] = [
    '-name', `guest=${qemuOpt(def.name)}`,
    '-uuid', def.uuid,
    '-S',
    '-no-user-config', '-nodefaults', '-nographic', '-display', 'none',
    '-machine', qemuOpt(machine),
    '-accel', def.type === 'kvm' ? 'kvm' : 'tcg,tb-size=32',
    '-m', memoryOption(def),
    '-smp', smpOption(def),
  ];
  if (def.os.kernel !== undefined) args.push('-kernel', def.os.kernel);
  if (def.os.initrd !== undefined) args.push('-initrd', def.os.initrd);
  if (def.os.cmdline !== undefined) args.push('-append', def.os.cmdline);
  args.push(
    '-chardev', `socket,id=charmonitor,fd=${paths.monitorFd},server=on,wait=off`,
    '-mon', 'chardev=charmonitor,id=monitor,mode=control',
  );
  if (paths.serialLog !== undefined) {
    args.push('-chardev', `file,id=charserial0,path=${qemuOpt(paths.serialLog)}`, '-serial', 'chardev:charserial0');
  }
  const hasBalloon = (def.devices.memballoon?.model ?? 'virtio') !== 'none';
  if (hasBalloon) args.push('-device', `${balloonDevice(machine)},id=${BALLOON_ID}`);
  args.push(...virtioMemArgs(def));
  return { emulator: def.devices.emulator ?? DEFAULT_EMULATOR, args, hasBalloon };
}

function validateForQemu(def: DomainDef): void {
  const bad = (why: string): never => {
    throw new VirError(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, why);
  };
  if (def.type !== 'qemu' && def.type !== 'kvm') bad(`domain type '${def.type}' is not supported by the QEMU driver`);
  if (def.os.type !== 'hvm') bad(`Emulator '${def.devices.emulator ?? DEFAULT_EMULATOR}' does not support os type '${def.os.type}'`);
  if (!(def.memory > 0)) bad('memory size must be greater than zero');
  const model = def.devices.memballoon?.model;
  if (model !== undefined && model !== 'virtio' && model !== 'none') bad(`memballoon model '${model}' is not supported`);
  if (def.maxMemory && def.maxMemory.value < def.memory) {
    bad('maximum memory size must be equal or greater than the actual memory size');
  }
  validateMemoryDevicesForQemu(def);
  if (!(def.vcpu.count >= 1)) bad('Invalid number of vCPUs');
  if (def.vcpu.current !== undefined && (def.vcpu.current < 1 || def.vcpu.current > def.vcpu.count)) {
    bad('Invalid number of current vCPUs');
  }
}

/** `-m size=NNNk[,slots=S,maxmem=MMMk]`: KiB, as libvirt writes it; the size is the boot memory (no devices). */
function memoryOption(def: DomainDef): string {
  let s = `size=${bootMemoryKiB(def)}k`;
  if (def.maxMemory && def.maxMemory.slots > 0) s += `,slots=${def.maxMemory.slots},maxmem=${def.maxMemory.value}k`;
  return s;
}

function smpOption(def: DomainDef): string {
  const current = def.vcpu.current ?? def.vcpu.count;
  return current === def.vcpu.count ? String(current) : `${current},maxcpus=${def.vcpu.count}`;
}

/** microvm has no PCI bus; its virtio devices sit on virtio-mmio. */
function balloonDevice(machine: string): string {
  return machine.startsWith('microvm') ? 'virtio-balloon-device' : 'virtio-balloon-pci';
}

/** QEMU's option syntax separates with commas; a literal comma is written twice. */
export function qemuOpt(value: string): string {
  return value.replaceAll(',', ',,');
}
