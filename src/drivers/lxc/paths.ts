import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { VirURI } from '../../connection/uri.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import type { MemoryControllerOptions } from '../../cgroup/controller.js';

/** Where an LXC connection keeps its files and cgroups. */
export interface LxcPaths {
  /** Persistent definitions. */
  configDir: string;
  /** Status files and container logs. */
  stateDir: string;
  /** The `<driver>` part of cgroup names (`lxc`, or `lxc-<hash>` for an embedded root, so roots never collide). */
  cgroupDriverName: string;
  /** How to find the memory controller and where domain cgroups go. */
  cgroup: MemoryControllerOptions;
}

/** System-wide locations of `lxc:///`. */
export const LXC_SYSTEM_CONFIG_DIR = '/var/lib/virtune/lxc';
export const LXC_SYSTEM_STATE_DIR = '/run/virtune/lxc';

function badURI(uri: VirURI, why: string): VirError {
  return new VirError(ErrorCode.INVALID_ARG, ErrorDomain.LXC, `${why} in URI '${uri.text}'`);
}

/**
 * The locations an `lxc:` URI names: `lxc:///` (or `/system`) uses the system root; `lxc:///embed?root=DIR`
 * a private one (DIR/etc, DIR/run). Extensions, both forms: `cgroup_parent=a/b` puts domain cgroups under
 * another parent; `cgroup_root=DIR` (with `cgroup_version=v1|v2`) uses a directory laid out like cgroupfs.
 */
export function lxcPathsFromURI(uri: VirURI): LxcPaths {
  if (uri.host !== '') throw badURI(uri, 'remote hosts are not supported');
  const cgroup: MemoryControllerOptions = {};
  const parent = uri.params.get('cgroup_parent');
  if (parent !== undefined) cgroup.parent = parent;
  const cgroupRoot = uri.params.get('cgroup_root');
  if (cgroupRoot !== undefined) {
    if (!isAbsolute(cgroupRoot)) throw badURI(uri, 'cgroup_root must be an absolute path');
    cgroup.root = cgroupRoot;
  }
  const version = uri.params.get('cgroup_version');
  if (version !== undefined) {
    if (version !== 'v1' && version !== 'v2') throw badURI(uri, `unknown cgroup_version '${version}'`);
    cgroup.version = version;
  }
  if (uri.path === '' || uri.path === '/' || uri.path === '/system') {
    return { configDir: LXC_SYSTEM_CONFIG_DIR, stateDir: LXC_SYSTEM_STATE_DIR, cgroupDriverName: 'lxc', cgroup };
  }
  if (uri.path === '/embed') {
    const root = uri.params.get('root');
    if (root === undefined || root === '') throw badURI(uri, "the 'root' parameter is required");
    if (!isAbsolute(root)) throw badURI(uri, "the 'root' parameter must be an absolute path");
    const hash = createHash('sha256').update(root).digest('hex').slice(0, 8);
    return {
      configDir: join(root, 'etc', 'lxc'),
      stateDir: join(root, 'run', 'lxc'),
      cgroupDriverName: `lxc-${hash}`,
      cgroup,
    };
  }
  throw new VirError(
    ErrorCode.INVALID_ARG,
    ErrorDomain.LXC,
    `unexpected LXC URI path '${uri.path}', try lxc:/// or lxc:///embed?root=DIR`,
  );
}
