import { isAbsolute, join } from 'node:path';
import type { HostCgroupsOptions } from '../../cgroup/controller.js';
import type { VirURI } from '../../connection/uri.js';
import { ErrorCode, VirError, type ErrorDomain } from '../../errors.js';
import { sha256Hex } from './sha256.js';

/** Where a connection of a cgroup-backed driver (LXC, QEMU) keeps its files and cgroups. */
export interface DriverRootPaths {
  /** The directory that identifies the driver instance: `/` for the system root, DIR for an embedded one. */
  root: string;
  /** Persistent definitions, `<name>.xml`. */
  configDir: string;
  /** Status files and logs of running domains. */
  stateDir: string;
  /** The `<driver>` part of cgroup names: `lxc`, or `lxc-<hash>` for an embedded root, so roots never collide. */
  cgroupDriverName: string;
  /** How to find the memory controller and where domain cgroups go. */
  cgroup: HostCgroupsOptions;
}

/** What differs between the drivers that share {@link driverRootPathsFromURI}. */
export interface DriverRootSpec<Extra extends object = object> {
  /** The URI scheme and directory name under a root: `lxc`, `qemu`. */
  driver: string;
  errorDomain: ErrorDomain;
  /** URI paths that name the system root (`/system`, and for LXC also `` and `/`). */
  systemPaths: readonly string[];
  systemConfigDir: string;
  systemStateDir: string;
  /** The error message for any other URI path. */
  unexpectedPath: (path: string) => string;
  /** The driver's own URI parameters, read (and refused) after the cgroup ones, before the path is looked at. */
  extra?: (uri: VirURI) => Extra;
}

/** INVALID_ARG `<why> in URI '<uri>'` in the driver's error domain. */
export function badURI(uri: VirURI, domain: ErrorDomain, why: string): VirError {
  return new VirError(ErrorCode.INVALID_ARG, domain, `${why} in URI '${uri.text}'`);
}

/**
 * The cgroup options a URI asks for, our extensions: `cgroup_parent=a/b` puts domain cgroups under another
 * parent; `cgroup_root=DIR` (with `cgroup_version=v1|v2`) uses a directory laid out like cgroupfs.
 */
function cgroupOptionsFromURI(uri: VirURI, domain: ErrorDomain): HostCgroupsOptions {
  const cgroup: HostCgroupsOptions = {};
  const parent = uri.params.get('cgroup_parent');
  if (parent !== undefined) cgroup.parent = parent;
  const cgroupRoot = uri.params.get('cgroup_root');
  if (cgroupRoot !== undefined) {
    if (!isAbsolute(cgroupRoot)) throw badURI(uri, domain, 'cgroup_root must be an absolute path');
    cgroup.root = cgroupRoot;
  }
  const version = uri.params.get('cgroup_version');
  if (version !== undefined) {
    if (version !== 'v1' && version !== 'v2') throw badURI(uri, domain, `unknown cgroup_version '${version}'`);
    cgroup.version = version;
  }
  return cgroup;
}

/**
 * The locations a driver URI names: a system path uses the system directories; `/embed?root=DIR` a private root
 * (DIR/etc/<driver>, DIR/run/<driver>), as libvirt's embedded drivers do. Remote hosts are refused.
 */
export function driverRootPathsFromURI<Extra extends object = object>(
  uri: VirURI,
  spec: DriverRootSpec<Extra>,
): DriverRootPaths & Extra {
  const D = spec.errorDomain;
  if (uri.host !== '') throw badURI(uri, D, 'remote hosts are not supported');
  const cgroup = cgroupOptionsFromURI(uri, D);
  const extra = spec.extra?.(uri) ?? ({} as Extra);
  if (spec.systemPaths.includes(uri.path)) {
    return {
      root: '/',
      configDir: spec.systemConfigDir,
      stateDir: spec.systemStateDir,
      cgroupDriverName: spec.driver,
      cgroup,
      ...extra,
    };
  }
  if (uri.path === '/embed') {
    const root = uri.params.get('root');
    if (root === undefined || root === '') throw badURI(uri, D, "the 'root' parameter is required");
    if (!isAbsolute(root)) throw badURI(uri, D, "the 'root' parameter must be an absolute path");
    const hash = sha256Hex(root).slice(0, 8);
    return {
      root,
      configDir: join(root, 'etc', spec.driver),
      stateDir: join(root, 'run', spec.driver),
      cgroupDriverName: `${spec.driver}-${hash}`,
      cgroup,
      ...extra,
    };
  }
  throw new VirError(ErrorCode.INVALID_ARG, D, spec.unexpectedPath(uri.path));
}
