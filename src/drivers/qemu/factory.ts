import { MemoryController } from '../../cgroup/controller.js';
import type { DriverFactory } from '../../driver.js';
import { openUnsupportedDriver, UnsupportedReason } from '../unsupported/unsupported-driver.js';
import { QemuDriverState } from './driver-state.js';
import { qemuPathsFromURI } from './paths.js';
import { QemuDriver } from './qemu-driver.js';

/**
 * `qemu:///system` and `qemu:///embed?root=DIR`. A host without a memory cgroup controller gets the stub driver,
 * whose memory-tuning entries say so, instead of a driver that could not hold a guest to its limits.
 */
export const qemuDriverFactory: DriverFactory = {
  schemes: ['qemu'],
  async open(uri, options) {
    const paths = qemuPathsFromURI(uri);
    if (process.platform !== 'linux') return openUnsupportedDriver(uri, UnsupportedReason.NOT_LINUX);
    const controller = MemoryController.open(paths.cgroup);
    if (!controller) return openUnsupportedDriver(uri, UnsupportedReason.NO_MEMORY_CGROUP);
    const state = await QemuDriverState.acquire(paths, controller, options.emit);
    return new QemuDriver(state, paths, options.emit);
  },
};
