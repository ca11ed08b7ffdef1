import { slotTable } from './layout.js';

/**
 * libvirt's output order of `<domain>`'s children (virDomainDefFormatInternal, libvirt 9.0), which virtune
 * follows: modelled elements are written in these places and kept elements libvirt knows go back to theirs.
 */
export const DOMAIN_SLOTS = slotTable(
  [
    'name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory',
    'blkiotune', 'memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'defaultiothread',
    'cputune', 'numatune', 'resource', 'sysinfo', 'bootloader', 'bootloader_args', 'os', 'idmap', 'features',
    'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices',
    'seclabel', 'keywrap', 'launchSecurity',
  ],
  [
    'name', 'uuid', 'title', 'description', 'maxMemory', 'memory', 'currentMemory', 'blkiotune', 'memtune', 'vcpu',
    'cputune', 'os', 'on_poweroff', 'on_reboot', 'on_crash', 'devices',
  ],
  ['title', 'description', 'maxMemory', 'blkiotune', 'memtune', 'cputune'],
);

/** The modelled children of `<cputune>`, in libvirt's order (virDomainCputuneDefFormat, libvirt 9.0). */
export const CPUTUNE_VALUES = [
  'shares', 'period', 'quota', 'global_period', 'global_quota', 'emulator_period', 'emulator_quota',
  'iothread_period', 'iothread_quota',
] as const;

/** `<cputune>`'s children in libvirt's order: the values virtune models, then the pinning and the rest, kept. */
export const CPUTUNE_SLOTS = slotTable(
  [
    ...CPUTUNE_VALUES, 'vcpupin', 'emulatorpin', 'iothreadpin', 'vcpusched', 'iothreadsched', 'emulatorsched',
    'cachetune', 'memorytune',
  ],
  CPUTUNE_VALUES,
  CPUTUNE_VALUES,
);

/** `<os>`'s children in libvirt's order. */
export const OS_SLOTS = slotTable(
  [
    'type', 'firmware', 'init', 'initarg', 'initenv', 'initdir', 'inituser', 'initgroup', 'loader', 'nvram',
    'kernel', 'initrd', 'cmdline', 'dtb', 'root', 'acpi', 'boot', 'bootmenu', 'smbios', 'bios',
  ],
  ['type', 'init', 'initarg', 'kernel', 'initrd', 'cmdline', 'boot'],
  ['init', 'initarg', 'kernel', 'initrd', 'cmdline', 'boot'],
);

/** `<devices>`'s children in libvirt's order. */
export const DEVICES_SLOTS = slotTable(
  [
    'emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel',
    'console', 'channel', 'input', 'tpm', 'graphics', 'sound', 'audio', 'video', 'hostdev', 'redirdev',
    'redirfilter', 'hub', 'watchdog', 'memballoon', 'rng', 'panic', 'shmem', 'memory', 'iommu', 'vsock', 'crypto',
  ],
  ['emulator', 'memballoon', 'memory'],
  ['emulator', 'memballoon'],
);

/** `<memory>` (the device)'s children in libvirt's order. */
export const MEMORYDEV_SLOTS = slotTable(['uuid', 'source', 'target', 'alias', 'address', 'acpi'], ['target'], []);

/**
 * `<memory><target>`'s children in libvirt's order. `label` and `readonly` belong to nvdimm: libvirt reads and
 * drops them for virtio-mem, so they are "modelled" here only to be dropped the same way.
 */
export const MEMORYDEV_TARGET_SLOTS = slotTable(
  ['size', 'node', 'label', 'readonly', 'block', 'requested', 'current'],
  ['size', 'node', 'label', 'readonly', 'block', 'requested', 'current'],
  ['node', 'label', 'readonly', 'block', 'requested', 'current'],
);

/** libvirt 9.0's memory device models (virDomainMemoryModel). */
export const MEMORY_DEVICE_MODELS: ReadonlySet<string> = new Set(['dimm', 'nvdimm', 'virtio-pmem', 'virtio-mem', 'sgx-epc']);

/** `<memballoon>`'s children in libvirt's order. */
export const MEMBALLOON_SLOTS = slotTable(['stats', 'alias', 'address', 'driver'], ['stats'], ['stats']);

/** libvirt 9.0's domain types (virDomainVirtType). */
export const DOMAIN_TYPES: ReadonlySet<string> = new Set([
  'none', 'qemu', 'kqemu', 'kvm', 'xen', 'lxc', 'uml', 'openvz', 'test', 'vmware', 'hyperv', 'vbox', 'phyp',
  'parallels', 'bhyve', 'vz', 'ch',
]);

/** libvirt's OS types (virDomainOSType). */
export const OS_TYPES: ReadonlySet<string> = new Set(['hvm', 'xen', 'linux', 'exe', 'uml', 'xenpvh']);

/** Actions allowed in `<on_poweroff>` and `<on_reboot>`. */
export const LIFECYCLE_ACTIONS: ReadonlySet<string> = new Set(['destroy', 'restart', 'preserve', 'rename-restart']);

/** Actions allowed in `<on_crash>`. */
export const CRASH_ACTIONS: ReadonlySet<string> = new Set([
  ...LIFECYCLE_ACTIONS, 'coredump-destroy', 'coredump-restart',
]);

/** `<memballoon model=...>` values. */
export const MEMBALLOON_MODELS: ReadonlySet<string> = new Set([
  'virtio', 'xen', 'none', 'virtio-transitional', 'virtio-non-transitional',
]);
