import type { CommandContext } from './context.js';
import type { ParsedCommand } from './parse.js';
import { formatParamLine, paramsToJSON } from './output.js';
import type { TypedParameter } from '../typed-params/types.js';

/** Prints a tuning command's parameters: one JSON object with `--json`, otherwise virsh's `name : value` lines. */
export function printParams(ctl: CommandContext, cmd: ParsedCommand, values: readonly TypedParameter[]): void {
  if (cmd.has('json')) ctl.print(`${JSON.stringify(paramsToJSON(values), null, 2)}\n`);
  else for (const p of values) ctl.print(formatParamLine(p));
}
