import type { CommandHandler } from '../command-def.js';
import { domainOption } from '../domain-lookup.js';
import { reasonName, stateName } from '../state-names.js';

/** `domstate DOMAIN [--reason] [--json]` (virsh's cmdDomstate). */
export const run: CommandHandler = async (ctl, cmd) => {
  const dom = await domainOption(ctl, cmd);
  if (!dom) return false;
  const { state, reason } = await dom.getState();
  if (cmd.has('json')) {
    ctl.print(
      `${JSON.stringify({ state: stateName(state), reason: reasonName(state, reason), stateCode: state, reasonCode: reason }, null, 2)}\n`,
    );
  } else if (cmd.has('reason')) {
    ctl.print(`${stateName(state)} (${reasonName(state, reason)})\n`);
  } else {
    ctl.print(`${stateName(state)}\n`);
  }
  return true;
};
