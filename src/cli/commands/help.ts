import type { CommandHandler } from '../command-def.js';
import { formatCommandHelp, formatGlobalHelp, formatGroupHelp } from '../help-text.js';
import { findCommand, findGroup } from './table.js';

/** `help [COMMAND|GROUP]` (virsh's cmdHelp). */
export const run: CommandHandler = async (ctl, cmd) => {
  const name = cmd.value('command');
  if (name === undefined || name === '') {
    ctl.print(formatGlobalHelp());
    return true;
  }
  const def = findCommand(name);
  if (def) {
    ctl.print(formatCommandHelp(def));
    return true;
  }
  const group = findGroup(name);
  if (group) {
    ctl.print(formatGroupHelp(group));
    return true;
  }
  return ctl.fail(`command or command group '${name}' doesn't exist`);
};
