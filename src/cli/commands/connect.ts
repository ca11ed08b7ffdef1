import type { CommandHandler } from '../command-def.js';
import { optString } from '../options.js';

/** `connect [URI] [--readonly]`: closes the connection and opens another. */
export const run: CommandHandler = async (ctl, cmd) => {
  const uri = optString(ctl, cmd, 'name');
  if (uri === null) return false;
  try {
    await ctl.connect(uri === undefined || uri === '' ? ctl.options.uri : uri, cmd.has('readonly'));
  } catch (e) {
    ctl.setError(e);
    ctl.error('Failed to connect to the hypervisor');
    return false;
  }
  return true;
};
