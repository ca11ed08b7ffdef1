import type { VirURI } from '../../connection/uri.js';
import { ErrorDomain } from '../../errors.js';
import { driverRootPathsFromURI, type DriverRootPaths } from '../common/root-paths.js';

/** Where an LXC connection keeps its files (definitions; status files and container logs) and cgroups. */
export type LxcPaths = DriverRootPaths;

/** System-wide locations of `lxc:///`. */
export const LXC_SYSTEM_CONFIG_DIR = '/var/lib/virtune/lxc';
export const LXC_SYSTEM_STATE_DIR = '/run/virtune/lxc';

/**
 * The locations an `lxc:` URI names: `lxc:///` (or `/system`) uses the system root; `lxc:///embed?root=DIR`
 * a private one (DIR/etc, DIR/run). Extensions, both forms: `cgroup_parent=a/b` puts domain cgroups under
 * another parent; `cgroup_root=DIR` (with `cgroup_version=v1|v2`) uses a directory laid out like cgroupfs.
 */
export function lxcPathsFromURI(uri: VirURI): LxcPaths {
  return driverRootPathsFromURI(uri, {
    driver: 'lxc',
    errorDomain: ErrorDomain.LXC,
    systemPaths: ['', '/', '/system'],
    systemConfigDir: LXC_SYSTEM_CONFIG_DIR,
    systemStateDir: LXC_SYSTEM_STATE_DIR,
    unexpectedPath: (path) => `unexpected LXC URI path '${path}', try lxc:/// or lxc:///embed?root=DIR`,
  });
}
