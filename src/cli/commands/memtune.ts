import type { CommandHandler } from '../command-def.js';
import { runTuneCommand, type TuneCalls } from '../tune-command.js';
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

const MEMORY_CALLS: TuneCalls = {
  what: 'memory',
  set: (dom, params, flags) => dom.setMemoryParameters(params, flags),
  count: (dom, flags) => dom.getMemoryParameterCount(flags),
  get: (dom, flags) => dom.getMemoryParameters(flags),
};

/**
 * `memtune DOMAIN [--hard-limit N] ... [--config|--live|--current] [--json]` (virsh's cmdMemtune): with no size
 * it prints the parameters, otherwise it sets them all in one call.
 */
export const run: CommandHandler = (ctl, cmd) =>
  runTuneCommand(ctl, cmd, MEMORY_CALLS, () => {
    const params: TypedParameterInput[] = [];
    for (const [option, field] of OPTION_PARAMS) {
      if (!cmd.has(option)) continue;
      const parsed = parseMemtuneSize(cmd.value(option) ?? '');
      if (!parsed.ok) return ctl.fail(`Unable to parse integer parameter ${option}`, parsed.cause);
      params.push({ field, type: TypedParameterType.ULLONG, value: parsed.value });
    }
    return params;
  });
