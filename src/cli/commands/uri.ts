import type { CommandHandler } from '../command-def.js';

/** `uri`: the connection's URI. */
export const run: CommandHandler = async (ctl) => {
  ctl.print(`${ctl.conn.getURI()}\n`);
  return true;
};
