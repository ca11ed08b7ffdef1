import type { CommandContext } from './context.js';
import type { ParsedCommand } from './parse.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_CURRENT, DOMAIN_AFFECT_LIVE } from '../flags.js';

/** virsh's VSH_EXCLUSIVE_OPTIONS: false (after printing why) when both options were given. */
export function exclusive(ctl: CommandContext, cmd: ParsedCommand, a: string, b: string): boolean {
  if (cmd.has(a) && cmd.has(b)) {
    return ctl.fail(`Options --${a} and --${b} are mutually exclusive`);
  }
  return true;
}

/**
 * virsh's vshCommandOptStringReq: the option's value, undefined when absent, or null (after printing why) when it
 * is empty and the option does not allow that.
 */
export function optString(ctl: CommandContext, cmd: ParsedCommand, name: string): string | undefined | null {
  const given = cmd.given.find((g) => g.def.name === name);
  if (given === undefined) return undefined;
  const value = given.value ?? '';
  if (value === '' && !given.def.emptyOk) {
    ctl.error(`Failed to get option '${name}': Option argument is empty`);
    return null;
  }
  return value;
}

/**
 * The --config/--live/--current flags of memtune, setmem and setmaxmem, or undefined (after printing why) when
 * --current is combined with one of the others. --config with --live is left for the driver to refuse, as virsh does.
 */
export function affectFlags(ctl: CommandContext, cmd: ParsedCommand): number | undefined {
  if (!exclusive(ctl, cmd, 'current', 'live') || !exclusive(ctl, cmd, 'current', 'config')) return undefined;
  let flags = DOMAIN_AFFECT_CURRENT;
  if (cmd.has('config')) flags |= DOMAIN_AFFECT_CONFIG;
  if (cmd.has('live')) flags |= DOMAIN_AFFECT_LIVE;
  return flags;
}
