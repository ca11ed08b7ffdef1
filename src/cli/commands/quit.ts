import type { CommandHandler } from '../command-def.js';

/** `quit` / `exit`: ends the interactive shell (and a batch, at this point). */
export const run: CommandHandler = async (ctl) => {
  ctl.quitRequested = true;
  return true;
};
