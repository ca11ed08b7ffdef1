import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { VirURI } from '../../connection/uri.js';
import type { MemoryControllerOptions } from '../../cgroup/controller.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';

/** Where a QEMU connection keeps its files and cgroups, and how patient it is when stopping guests. */
export interface QemuPaths {
  /** The directory that identifies the driver instance: one shared state per root within a process. */
  root: string;
  /** Persistent definitions, `<name>.xml`. */
  configDir: string;
  /** Status files, monitor sockets, QEMU logs and serial logs of running domains. */
  stateDir: string;
  /** The `<driver>` part of cgroup names: `qemu`, or `qemu-<hash>` for an embedded root so roots never collide. */
  cgroupDriverName: string;
  /** How to find the memory controller and where domain cgroups go. */
  cgroup: MemoryControllerOptions;
  /** How long shutdown waits for the guest to power off after ACPI before it asks QEMU to quit, ms. */
  shutdownAcpiMs: number;
}

/** System-wide locations of `qemu:///system`. */
export const QEMU_SYSTEM_CONFIG_DIR = '/var/lib/virtune/qemu';
export const QEMU_SYSTEM_STATE_DIR = '/run/virtune/qemu';
/** libvirt waits this long for ACPI before its callers give up; a guest without ACPI support never obeys. */
export const DEFAULT_SHUTDOWN_ACPI_MS = 10_000;

function badURI(uri: VirURI, why: string): VirError {
  return new VirError(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, `${why} in URI '${uri.text}'`);
}

/**
 * The locations a `qemu:` URI names: `qemu:///system` uses the system root; `qemu:///embed?root=DIR` a private
 * one (DIR/etc, DIR/run), as libvirt's embedded driver does. Extensions, both forms: `cgroup_parent=a/b`,
 * `cgroup_root=DIR` with `cgroup_version=v1|v2` (a directory laid out like cgroupfs), and `shutdown_acpi_ms=N`.
 */
export function qemuPathsFromURI(uri: VirURI): QemuPaths {
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
  const acpiText = uri.params.get('shutdown_acpi_ms');
  let shutdownAcpiMs = DEFAULT_SHUTDOWN_ACPI_MS;
  if (acpiText !== undefined) {
    if (!/^\d{1,9}$/.test(acpiText)) throw badURI(uri, `invalid shutdown_acpi_ms '${acpiText}'`);
    shutdownAcpiMs = Number(acpiText);
  }
  if (uri.path === '/system') {
    return {
      root: '/',
      configDir: QEMU_SYSTEM_CONFIG_DIR,
      stateDir: QEMU_SYSTEM_STATE_DIR,
      cgroupDriverName: 'qemu',
      cgroup,
      shutdownAcpiMs,
    };
  }
  if (uri.path === '/embed') {
    const root = uri.params.get('root');
    if (root === undefined || root === '') throw badURI(uri, "the 'root' parameter is required");
    if (!isAbsolute(root)) throw badURI(uri, "the 'root' parameter must be an absolute path");
    const hash = createHash('sha256').update(root).digest('hex').slice(0, 8);
    return {
      root,
      configDir: join(root, 'etc', 'qemu'),
      stateDir: join(root, 'run', 'qemu'),
      cgroupDriverName: `qemu-${hash}`,
      cgroup,
      shutdownAcpiMs,
    };
  }
  // libvirt: qemu:///session is the per-user daemon, which virtune does not have.
  throw new VirError(
    ErrorCode.INVALID_ARG,
    ErrorDomain.QEMU,
    `unexpected QEMU URI path '${uri.path}', try qemu:///system or qemu:///embed?root=DIR`,
  );
}
