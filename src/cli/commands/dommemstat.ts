import { FAILED, attempt } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';
import { domainOption } from '../domain-lookup.js';
import { intOption } from '../int-option.js';
import { affectFlags } from '../options.js';
import type { CooperationVerdict, DomainMemoryStat } from '../../driver.js';
import { DOMAIN_AFFECT_LIVE, DOMAIN_MEMORY_STAT_NAMES } from '../../flags.js';

/** virsh's output: one `name value` line per figure, in the order the driver gave them. */
export function formatMemoryStats(stats: readonly DomainMemoryStat[]): string {
  return stats.map((s) => `${DOMAIN_MEMORY_STAT_NAMES[s.tag] ?? `tag${s.tag}`} ${s.val}\n`).join('');
}

/** The verdict in the same `name value` style, after the figures (virtune's extension). */
export function formatVerdict(v: CooperationVerdict): string {
  return `cooperation ${v.state}\nreason ${v.reason}\ndetail ${v.detail}\n`;
}

/**
 * `dommemstat DOMAIN [--period N] [--config|--live|--current] [--verdict]` (virsh's cmdDomMemStat): with
 * `--period` it sets how often the guest reports and prints nothing; without, it prints the figures.
 */
export const run: CommandHandler = async (ctl, cmd) => {
  let flags = affectFlags(ctl, cmd);
  if (flags === undefined) return false;
  const dom = await domainOption(ctl, cmd);
  if (!dom) return false;
  // virsh: with none of --config/--live/--current, a running domain's live period is what changes.
  if (flags === 0 && (await dom.isActive().catch(() => false))) flags |= DOMAIN_AFFECT_LIVE;
  if (cmd.has('period')) {
    const period = intOption(ctl, cmd, 'period');
    if (period === undefined) return false;
    if (period < 0) {
      return ctl.fail(`Invalid collection period value '${period}'`);
    }
    const set = await attempt(ctl, 'Unable to change balloon collection period.', () => dom.setMemoryStatsPeriod(period, flags));
    return set !== FAILED;
  }
  const stats = await attempt(ctl, `Failed to get memory statistics for domain ${dom.name}`, () => dom.memoryStats());
  if (stats === FAILED) return false;
  let out = formatMemoryStats(stats);
  if (cmd.has('verdict')) out += formatVerdict(await dom.cooperation());
  ctl.print(out);
  return true;
};
