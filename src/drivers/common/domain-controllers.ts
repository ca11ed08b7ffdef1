import type { HostCgroupsOptions } from '../../cgroup/controller.js';
import { BLKIO, CPU, CPUACCT, MEMORY } from '../../cgroup/controllers.js';

/**
 * The controllers the domain cgroups of the LXC and QEMU drivers span: memory, which they cannot work without,
 * and cpu, cpuacct and blkio where the host has them (the scheduler and blkio tunables, CPU time).
 */
export const DOMAIN_CONTROLLERS: Pick<HostCgroupsOptions, 'controllers' | 'optionalControllers'> = {
  controllers: [MEMORY],
  optionalControllers: [CPU, CPUACCT, BLKIO],
};
