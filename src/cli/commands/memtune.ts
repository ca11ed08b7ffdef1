import { FAILED, attempt } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';
import { domainOption } from '../domain-lookup.js';
import { affectFlags } from '../options.js';
import { printParams } from '../print-params.js';
import { parseMemtuneSize } from '../../memory/scaled.js';
import { TypedParameterType, type TypedParameterInput } from '../../typed-params/types.js';

/** Command-line option → libvirt parameter, in the order virsh adds them (then virtune's extension). */
const OPTION_PARAMS = [
  ['hard-limit', 'hard_limit'],
  ['soft-limit', 'soft_limit'],
  ['swap-hard-limit', 'swap_hard_limit'],
  ['min-guarantee', 'min_guarantee'],
  ['swap-soft-limit', 'swap_soft_limit'],
] as const;

/**
 * `memtune DOMAIN [--hard-limit N] ... [--config|--live|--current] [--json]` (virsh's cmdMemtune): with no size
 * it prints the parameters, otherwise it sets them all in one call.
 */
export const run: CommandHandler = async (ctl, cmd) => {
  const flags = affectFlags(ctl, cmd);
  if (flags === undefined) return false;
  const dom = await domainOption(ctl, cmd);
  if (!dom) return false;

  const params: TypedParameterInput[] = [];
  for (const [option, field] of OPTION_PARAMS) {
    if (!cmd.has(option)) continue;
    const parsed = parseMemtuneSize(cmd.value(option) ?? '');
    if (!parsed.ok) return ctl.fail(`Unable to parse integer parameter ${option}`, parsed.cause);
    params.push({ field, type: TypedParameterType.ULLONG, value: parsed.value });
  }

  if (params.length > 0) {
    const set = () => dom.setMemoryParameters(params, flags);
    if ((await attempt(ctl, 'Unable to change memory parameters', set)) === FAILED) return false;
    if (!cmd.has('json')) return true;
  }

  const count = await attempt(ctl, 'Unable to get number of memory parameters', () =>
    dom.getMemoryParameterCount(flags),
  );
  if (count === FAILED) return false;
  if (count === 0) {
    if (cmd.has('json')) ctl.print('{}\n');
    return true;
  }
  const values = await attempt(ctl, 'Unable to get memory parameters', () => dom.getMemoryParameters(flags));
  if (values === FAILED) return false;
  printParams(ctl, cmd, values);
  return true;
};
