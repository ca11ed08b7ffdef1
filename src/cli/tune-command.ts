import { FAILED, attempt } from './attempt.js';
import type { CommandContext } from './context.js';
import { domainOption } from './domain-lookup.js';
import { affectFlags } from './options.js';
import type { ParsedCommand } from './parse.js';
import { printParams } from './print-params.js';
import type { Domain } from '../connection/domain.js';
import type { TypedParameter, TypedParameterInput } from '../typed-params/types.js';

/** One tunable family's calls, as virsh's tune commands (cmdMemtune, cmdBlkiotune) make them. */
export interface TuneCalls {
  /** The family's word in virsh's messages: `memory` (`Unable to change memory parameters`), `blkio`. */
  what: string;
  set(dom: Domain, params: TypedParameterInput[], flags: number): Promise<void>;
  /**
   * virsh's first get, for the number of parameters; nothing when the count is not the driver's to give (only the
   * public function's checks can fail then).
   */
  count(dom: Domain, flags: number): Promise<number | void>;
  get(dom: Domain, flags: number): Promise<TypedParameter[]>;
}

/**
 * A tune command's run, in virsh's order: `--config|--live|--current`, the domain, the options `collect` reads
 * (false once it has said what is wrong), then all of them set in one call; with none given, or with `--json`,
 * the parameters printed (`{}` in JSON when the driver has none).
 */
export async function runTuneCommand(
  ctl: CommandContext,
  cmd: ParsedCommand,
  calls: TuneCalls,
  collect: () => TypedParameterInput[] | false,
): Promise<boolean> {
  const flags = affectFlags(ctl, cmd);
  if (flags === undefined) return false;
  const dom = await domainOption(ctl, cmd);
  if (!dom) return false;
  const params = collect();
  if (params === false) return false;

  if (params.length > 0) {
    const set = () => calls.set(dom, params, flags);
    if ((await attempt(ctl, `Unable to change ${calls.what} parameters`, set)) === FAILED) return false;
    if (!cmd.has('json')) return true;
  }

  const count = await attempt(ctl, `Unable to get number of ${calls.what} parameters`, () => calls.count(dom, flags));
  if (count === FAILED) return false;
  if (count === 0) {
    if (cmd.has('json')) ctl.print('{}\n');
    return true;
  }
  const values = await attempt(ctl, `Unable to get ${calls.what} parameters`, () => calls.get(dom, flags));
  if (values === FAILED) return false;
  printParams(ctl, cmd, values);
  return true;
}
