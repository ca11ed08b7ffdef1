import { FAILED, attempt } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';
import { packageVersion } from '../package-version.js';

/** libvirt's version numbers: major * 1,000,000 + minor * 1,000 + release. */
function versionText(n: number): string {
  return `${Math.floor(n / 1_000_000)}.${Math.floor((n % 1_000_000) / 1000)}.${n % 1000}`;
}

/** `version [--daemon]`: virsh's layout, with virtune in place of libvirt. */
export const run: CommandHandler = async (ctl, cmd) => {
  const ours = packageVersion();
  const type = ctl.conn.getType();
  ctl.print(`Compiled against library: virtune ${ours}\n`);
  ctl.print(`Using library: virtune ${ours}\n`);
  ctl.print(`Using API: ${type} ${ours}\n`);
  const hv = await attempt(ctl, 'failed to get the hypervisor version', () => ctl.conn.getVersion());
  if (hv === FAILED) return false;
  if (hv === 0) ctl.print(`Cannot extract running ${type} hypervisor version\n`);
  else ctl.print(`Running hypervisor: ${type} ${versionText(hv)}\n`);
  if (cmd.has('daemon')) ctl.print(`Running against daemon: ${ours}\n`);
  return true;
};
