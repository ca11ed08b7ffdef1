import { HostCgroups } from '../../cgroup/controller.js';
import type { VirURI } from '../../connection/uri.js';
import type { DriverFactory, DriverOpenOptions, HypervisorDriver } from '../../driver.js';
import { DOMAIN_CONTROLLERS } from '../common/domain-controllers.js';
import { openUnsupportedDriver, UnsupportedReason } from '../unsupported/unsupported-driver.js';
import { QemuDriverState } from './qemu-state.js';
import { qemuPathsFromURI, type QemuPaths } from './paths.js';
import { QemuDriver } from './qemu-driver.js';

/**
 * Opens the QEMU driver for `uri`, or the stub driver when the host has no memory controller: a driver that could
 * not hold a guest to its limits would be worse than one that says it cannot.
 *
 * @param findController how the memory controller is found (the host's, by default).
 */
export async function openQemuDriver(
  uri: VirURI,
  options: DriverOpenOptions,
  findController: (paths: QemuPaths) => HostCgroups | undefined = (paths) => HostCgroups.open({ ...DOMAIN_CONTROLLERS, ...paths.cgroup }),
): Promise<HypervisorDriver> {
  const paths = qemuPathsFromURI(uri);
  if (process.platform !== 'linux') return openUnsupportedDriver(uri, UnsupportedReason.NOT_LINUX, options.emit);
  const controller = findController(paths);
  if (!controller) return openUnsupportedDriver(uri, UnsupportedReason.NO_MEMORY_CGROUP, options.emit);
  const state = await QemuDriverState.acquire(paths, controller, options.emit, options.readOnly);
  return new QemuDriver(state, paths, options.emit);
}

/** `qemu:///system` and `qemu:///embed?root=DIR`: QEMU guests with QMP, balloon and cgroup memory limits. */
export const qemuDriverFactory: DriverFactory = {
  schemes: ['qemu'],
  open: (uri, options) => openQemuDriver(uri, options),
};
