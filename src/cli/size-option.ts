import type { CommandContext } from './context.js';
import type { ParsedCommand } from './parse.js';
import { bytesToKiBRoundUp, parseScaledInteger } from '../memory/scaled.js';

/**
 * virsh's vshCommandOptScaledInt for `--size`: bytes (default unit KiB) up to 2^64-1, returned in KiB rounded up
 * (a bigint: libvirt's `unsigned long`, exact beyond 2^53 for its overflow message); undefined after printing
 * virsh's message when malformed.
 */
export function sizeOption(ctl: CommandContext, cmd: ParsedCommand, name = 'size'): bigint | undefined {
  const text = cmd.value(name) ?? '';
  const parsed = parseScaledInteger(text);
  if (!parsed.ok) {
    ctl.fail(`Scaled numeric value '${text}' for <${name}> option is malformed or out of range`, parsed.cause);
    return undefined;
  }
  return bytesToKiBRoundUp(parsed.value);
}
