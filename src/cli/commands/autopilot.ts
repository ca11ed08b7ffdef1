import type { CommandHandler } from '../command-def.js';
import type { CommandContext } from '../context.js';
import { formatTable } from '../output.js';
import type { ParsedCommand } from '../parse.js';
import type { DecisionEvent, TickReport } from '../../autopilot/autopilot.js';
import { UNLIMITED_KIB, guestUsedKiB } from '../../autopilot/policy.js';

const mib = (kib: number | undefined): string => (kib === undefined || kib >= UNLIMITED_KIB ? '-' : String(Math.round(kib / 1024)));

function describeAction(d: DecisionEvent): string {
  const a = d.action;
  const what =
    a.kind === 'balloon' ? `balloon ${mib(a.targetKiB)}`
    : a.kind === 'soft-limit' || a.kind === 'hard-limit' ? `${a.kind} ${mib(a.kib)}`
    : a.kind;
  return d.error ? `${what} (failed)` : d.dryRun && a.kind !== 'hold' ? `${what} (dry run)` : what;
}

/** One interval as a table: a line on the host, then a row per guest (sizes in MiB). */
export function formatTick(r: TickReport, policy: string): string {
  const h = r.host;
  const head =
    `autopilot ${policy}, interval ${r.tick}: host ${mib(h.memAvailableKiB)} of ${mib(h.memTotalKiB)} MiB available, ` +
    `memory pressure ${h.psiSomeAvg10.toFixed(2)}%\n`;
  const rows = r.guests.map((g) => {
    const d = r.decisions.find((x) => x.uuid === g.uuid);
    const used = guestUsedKiB(g);
    return [
      g.name,
      g.verdict.state,
      mib(g.actualKiB),
      mib(used),
      mib(g.rssKiB),
      mib(g.softLimitKiB),
      mib(g.hardLimitKiB),
      d ? describeAction(d) : '',
      d?.error ?? d?.reason ?? g.verdict.detail,
    ];
  });
  return head + formatTable(['Name', 'Verdict', 'Balloon', 'Used', 'RSS', 'Soft', 'Hard', 'Action', 'Reason'], rows, true);
}

function positive(ctl: CommandContext, cmd: ParsedCommand, name: string, dflt: number): number | undefined {
  if (!cmd.has(name)) return dflt;
  const text = cmd.value(name) ?? '';
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0)) {
    ctl.error(`Numeric value '${text}' for <${name}> option is malformed or out of range`);
    return undefined;
  }
  return n;
}

/**
 * `autopilot [--dry-run] [--interval S] [--policy virtune|mom] [--count N]`: runs the autopilot over the
 * connection's running guests and prints a table each interval (redrawn in place on a terminal), until --count
 * intervals have run or it is interrupted.
 */
export const run: CommandHandler = async (ctl, cmd) => {
  const intervalS = positive(ctl, cmd, 'interval', 5);
  if (intervalS === undefined) return false;
  const count = positive(ctl, cmd, 'count', Infinity);
  if (count === undefined) return false;
  const policyName = cmd.value('policy') ?? 'virtune';
  const { Autopilot, momPolicy, virtunePolicy } = await import('../../autopilot/index.js');
  const policies = { virtune: () => virtunePolicy(), mom: () => momPolicy() } as const;
  if (!(policyName in policies)) return ctl.fail(`unknown policy '${policyName}': expected virtune or mom`);
  const pilot = new Autopilot(ctl.conn, { policy: policies[policyName as keyof typeof policies](), intervalS, dryRun: cmd.has('dry-run') });
  const redraw = (process.stdout.isTTY ?? false) && ctl.stdout === process.stdout;
  let stop = false;
  let wake: (() => void) | undefined;
  const interrupt = (): void => {
    stop = true;
    wake?.();
  };
  process.on('SIGINT', interrupt);
  try {
    for (let i = 0; i < count && !stop; i++) {
      const started = Date.now();
      const report = await pilot.step();
      ctl.print((redraw ? '\x1b[H\x1b[2J' : i > 0 ? '\n' : '') + formatTick(report, policyName));
      if (i + 1 >= count || stop) break;
      // Waiting for the next interval is the command's job; an interrupt ends the wait at once.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, intervalS * 1000 - (Date.now() - started)));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
  return true;
};
