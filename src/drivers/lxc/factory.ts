import { HostCgroups, type HostCgroupsOptions } from '../../cgroup/controller.js';
import { readHostCgroupsOptions } from '../../cgroup/read-options.js';
import type { DriverFactory } from '../../driver.js';
import { DOMAIN_CONTROLLERS } from '../common/domain-controllers.js';
import { openUnsupportedDriver, UnsupportedReason } from '../unsupported/unsupported-driver.js';
import { LxcDriver } from './lxc-driver.js';
import { LxcDriverState } from './lxc-state.js';
import { lxcPathsFromURI } from './paths.js';

/**
 * An LXC driver factory whose memory controller options are `overrides` on top of what the URI says (tests
 * use it to point detection at another mountinfo file).
 */
export function createLxcDriverFactory(options: HostCgroupsOptions = {}): DriverFactory {
  // Read and checked now, once: they are used at every open, and their paths go to node's fs.
  const overrides = readHostCgroupsOptions(options, 'createLxcDriverFactory');
  return {
    schemes: ['lxc'],
    async open(uri, options) {
      const paths = lxcPathsFromURI(uri);
      if (process.platform !== 'linux') return openUnsupportedDriver(uri, UnsupportedReason.NOT_LINUX, options.emit);
      const controller = HostCgroups.open({ ...DOMAIN_CONTROLLERS, ...paths.cgroup, ...overrides });
      if (!controller) return openUnsupportedDriver(uri, UnsupportedReason.NO_MEMORY_CGROUP, options.emit);
      const state = await LxcDriverState.acquire(paths, controller, options.emit, options.readOnly);
      return new LxcDriver(state, options.emit);
    },
  };
}

/**
 * `lxc:///` (system root) and `lxc:///embed?root=DIR` (a private root). On a host without a memory cgroup
 * controller it opens the stub driver, whose memory entries say why they cannot work.
 */
export const lxcDriverFactory: DriverFactory = createLxcDriverFactory();
