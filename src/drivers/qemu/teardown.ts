import { rm } from 'node:fs/promises';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { emptyAndRemoveCgroup } from '../common/cgroup-teardown.js';
import { isProcessAlive, signalProcess, waitForExit } from './process.js';
import type { QemuRuntime } from './runtime.js';

/** How long a signal or QMP `quit` gets before the next, stronger step, ms. */
export const TERM_GRACE_MS = 3_000;
export const QUIT_GRACE_MS = 5_000;
export const KILL_GRACE_MS = 10_000;

/** The step that stopped QEMU. */
export type StopStep = 'gone' | 'acpi' | 'quit' | 'term' | 'kill';

/**
 * Stops QEMU the way libvirt's destroy does: SIGTERM, then SIGKILL if it is still there after a grace period
 * (`graceful`: SIGTERM only, libvirt's VIR_DOMAIN_DESTROY_GRACEFUL).
 * @throws VirError OPERATION_FAILED if the last signal does not end it in time.
 */
export async function killQemu(rt: QemuRuntime, graceful = false): Promise<StopStep> {
  if (!isProcessAlive(rt.proc)) return 'gone';
  await signalProcess(rt.proc, 'SIGTERM');
  if (await waitForExit(rt.proc, TERM_GRACE_MS, rt.exited)) return 'term';
  if (graceful) {
    throw new VirError(
      ErrorCode.OPERATION_FAILED,
      ErrorDomain.QEMU,
      `Failed to terminate process ${rt.proc.pid} with SIGTERM: Device or resource busy`,
    );
  }
  await signalProcess(rt.proc, 'SIGKILL');
  if (await waitForExit(rt.proc, KILL_GRACE_MS, rt.exited)) return 'kill';
  throw new VirError(
    ErrorCode.OPERATION_FAILED,
    ErrorDomain.QEMU,
    `Failed to terminate process ${rt.proc.pid} with SIGKILL: Device or resource busy`,
  );
}

/**
 * An orderly stop, each step with its deadline: ACPI power button (`system_powerdown`) for `acpiMs`, then QMP
 * `quit` (QEMU ends at once, the guest is not asked), then signals. A guest without ACPI support ignores the
 * button, so the later steps are what make shutdown certain.
 */
export async function shutdownQemu(rt: QemuRuntime, acpiMs: number): Promise<StopStep> {
  if (!isProcessAlive(rt.proc)) return 'gone';
  const qmp = rt.qmp;
  if (qmp && !qmp.closed) {
    await qmp.execute('system_powerdown', undefined, { timeoutMs: QUIT_GRACE_MS }).catch(() => undefined);
    if (await waitForExit(rt.proc, acpiMs, rt.exited)) return 'acpi';
    // QEMU may exit before it answers `quit`: the end of the monitor is the expected reply.
    await qmp.execute('quit', undefined, { timeoutMs: QUIT_GRACE_MS }).catch(() => undefined);
    if (await waitForExit(rt.proc, QUIT_GRACE_MS, rt.exited)) return 'quit';
  }
  return killQemu(rt);
}

/**
 * Removes what a stopped QEMU leaves: the monitor connection and socket, any stray process in its cgroup (the
 * cgroup is the domain's alone), and the cgroup itself once the kernel has let go of it.
 */
export async function releaseRuntime(rt: QemuRuntime, timeoutMs = KILL_GRACE_MS): Promise<void> {
  await rt.qmp?.close();
  await rm(rt.files.monitorSocket, { force: true });
  await emptyAndRemoveCgroup(rt.cgroup, timeoutMs);
}
