import { FAILED, attemptQuietly } from '../attempt.js';
import type { CommandContext } from '../context.js';
import type { CommandHandler } from '../command-def.js';
import { domainOption } from '../domain-lookup.js';
import { exclusive, optString } from '../options.js';
import { formatParamValue, padRight } from '../output.js';
import type { ParsedCommand } from '../parse.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../flags.js';
import { typedParamFromString } from '../../typed-params/from-string.js';
import type { TypedParameter } from '../../typed-params/types.js';

const line = (name: string, value: string): string => `${padRight(name, 15)}: ${value}\n`;

/**
 * virsh's cmdSchedInfoUpdate: every `--set name=value` word, then `--cap`, then `--weight`, each read with the type
 * of the parameter of that name the driver reported. Undefined (after printing why) on the first bad one.
 */
function updates(ctl: CommandContext, cmd: ParsedCommand, current: readonly TypedParameter[]): TypedParameter[] | undefined {
  const words: [string, string][] = [];
  for (const word of cmd.argv()) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      ctl.error('Invalid syntax for --set, expecting name=value');
      return undefined;
    }
    words.push([word.slice(0, eq), word.slice(eq + 1)]);
  }
  for (const option of ['cap', 'weight']) {
    const value = optString(ctl, cmd, option);
    if (value === null) return undefined;
    if (value !== undefined) words.push([option, value]);
  }
  const out: TypedParameter[] = [];
  for (const [field, text] of words) {
    const known = current.find((p) => p.field === field);
    if (!known) {
      ctl.error(`invalid scheduler option: ${field}`);
      return undefined;
    }
    try {
      out.push(typedParamFromString(field, known.type, text));
    } catch (e) {
      // virsh saves the library's error and its runner prints it.
      ctl.setError(e);
      return undefined;
    }
  }
  return out;
}


/**
 * `schedinfo DOMAIN [--weight N] [--cap N] [--current|--config|--live] [[--set] name=value]...` (virsh's
 * cmdSchedinfo): prints the scheduler, reads its parameters, sets what was asked in one call and prints them again.
 * Without --current/--config/--live the flagless calls are used (the only ones libvirt's test driver accepts).
 */
export const run: CommandHandler = async (ctl, cmd) => {
  if (!exclusive(ctl, cmd, 'current', 'live') || !exclusive(ctl, cmd, 'current', 'config')) return false;
  const live = cmd.has('live');
  const config = cmd.has('config');
  const flags = (config ? DOMAIN_AFFECT_CONFIG : 0) | (live ? DOMAIN_AFFECT_LIVE : 0);
  const withFlags = flags !== 0 || cmd.has('current');
  const dom = await domainOption(ctl, cmd);
  if (!dom) return false;

  const type = await attemptQuietly(ctl, () => dom.getSchedulerType());
  if (type === FAILED) {
    ctl.print(line('Scheduler', 'Unknown'));
    return false;
  }
  ctl.print(line('Scheduler', type.type));
  if (type.nparams === 0) return false;

  // libvirt cannot read both definitions at once: with --live --config it reads the current one.
  const get = (): Promise<TypedParameter[]> => dom.getSchedulerParameters(withFlags ? (live && config ? 0 : flags) : undefined);
  let params = await attemptQuietly(ctl, get);
  if (params === FAILED) return false;

  const changes = updates(ctl, cmd, params);
  if (changes === undefined) return false;
  if (changes.length > 0) {
    const set = await attemptQuietly(ctl, () => dom.setSchedulerParameters(changes, withFlags ? flags : undefined));
    if (set === FAILED) return false;
    params = await attemptQuietly(ctl, get);
    if (params === FAILED) return false;
  } else if (live && config) {
    return ctl.fail('cannot query both live and config at once');
  }
  for (const p of params) ctl.print(line(p.field, formatParamValue(p)));
  return true;
};

