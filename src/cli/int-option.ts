import type { CommandContext } from './context.js';
import type { ParsedCommand } from './parse.js';

/**
 * virsh's vshCommandOptInt: the option's value as a C int in base 10 (strtol's leading blanks and sign, nothing
 * after the digits), or undefined after printing virsh's message.
 */
export function intOption(ctl: CommandContext, cmd: ParsedCommand, name: string): number | undefined {
  const text = cmd.value(name) ?? '';
  const n = /^\s*[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < -(2 ** 31) || n > 2 ** 31 - 1) {
    ctl.error(`Numeric value '${text}' for <${name}> option is malformed or out of range`);
    return undefined;
  }
  return n;
}
