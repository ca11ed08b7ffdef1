import { FAILED, attempt } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';
import { optString } from '../options.js';

/**
 * `connect [URI] [--readonly]`: closes the connection and opens another. As in virsh, a URI makes the new
 * connection read-only only with `--readonly`, while `connect` alone reopens the current URI and stays read-only
 * if it was.
 */
export const run: CommandHandler = async (ctl, cmd) => {
  const uri = optString(ctl, cmd, 'name');
  if (uri === null) return false;
  const readOnly = cmd.has('readonly') || (uri === undefined && ctl.options.readOnly);
  const target = uri === undefined || uri === '' ? ctl.options.uri : uri;
  return (await attempt(ctl, 'failed to connect to the hypervisor', () => ctl.connect(target, readOnly))) !== FAILED;
};
