import type { VirURI } from '../../connection/uri.js';
import { ErrorDomain } from '../../errors.js';
import { badURI, driverRootPathsFromURI, type DriverRootPaths } from '../common/root-paths.js';

/** Where a QEMU connection keeps its files and cgroups, and how patient it is when stopping guests. */
export interface QemuPaths extends DriverRootPaths {
  /** How long shutdown waits for the guest to power off after ACPI before it asks QEMU to quit, ms. */
  shutdownAcpiMs: number;
}

/** System-wide locations of `qemu:///system`. */
export const QEMU_SYSTEM_CONFIG_DIR = '/var/lib/virtune/qemu';
export const QEMU_SYSTEM_STATE_DIR = '/run/virtune/qemu';
/** libvirt waits this long for ACPI before its callers give up; a guest without ACPI support never obeys. */
export const DEFAULT_SHUTDOWN_ACPI_MS = 10_000;

function shutdownAcpiMsFromURI(uri: VirURI): { shutdownAcpiMs: number } {
  const text = uri.params.get('shutdown_acpi_ms');
  if (text === undefined) return { shutdownAcpiMs: DEFAULT_SHUTDOWN_ACPI_MS };
  if (!/^\d{1,9}$/.test(text)) throw badURI(uri, ErrorDomain.QEMU, `invalid shutdown_acpi_ms '${text}'`);
  return { shutdownAcpiMs: Number(text) };
}

/**
 * The locations a `qemu:` URI names: `qemu:///system` uses the system root; `qemu:///embed?root=DIR` a private
 * one (DIR/etc, DIR/run), as libvirt's embedded driver does. Extensions, both forms: `cgroup_parent=a/b`,
 * `cgroup_root=DIR` with `cgroup_version=v1|v2` (a directory laid out like cgroupfs), and `shutdown_acpi_ms=N`.
 */
export function qemuPathsFromURI(uri: VirURI): QemuPaths {
  return driverRootPathsFromURI(uri, {
    driver: 'qemu',
    errorDomain: ErrorDomain.QEMU,
    systemPaths: ['/system'],
    systemConfigDir: QEMU_SYSTEM_CONFIG_DIR,
    systemStateDir: QEMU_SYSTEM_STATE_DIR,
    // libvirt: qemu:///session is the per-user daemon, which virtune does not have.
    unexpectedPath: (path) => `unexpected QEMU URI path '${path}', try qemu:///system or qemu:///embed?root=DIR`,
    extra: shutdownAcpiMsFromURI,
  });
}
