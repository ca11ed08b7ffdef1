import { FAILED, attempt } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';
import { domainOption } from '../domain-lookup.js';
import { kibToJSON, padRight } from '../output.js';
import { sizeOption } from '../size-option.js';
import type { ReclaimResult, ReclaimSnapshot } from '../../driver.js';

const line = (label: string, value: string): string => `${padRight(label, 15)}: ${value}\n`;

/** The result, one `name : value` line each, memory in KiB. */
export function formatReclaim(r: ReclaimResult): string {
  const kib = (n: bigint | undefined): string => (n === undefined ? '-' : `${n} KiB`);
  return (
    line('path', r.path) +
    line('target', kib(r.targetKiB)) +
    line('balloon before', kib(r.before.balloonKiB)) +
    line('balloon after', kib(r.after.balloonKiB)) +
    line('usage before', kib(r.before.usageKiB)) +
    line('usage after', kib(r.after.usageKiB)) +
    line('hard before', kib(r.before.hardLimitKiB)) +
    line('hard after', kib(r.after.hardLimitKiB)) +
    line('elapsed', `${r.elapsedMs} ms`)
  );
}

const snapshotToJSON = (s: ReclaimSnapshot) => ({
  balloonKiB: kibToJSON(s.balloonKiB),
  usageKiB: kibToJSON(s.usageKiB),
  hardLimitKiB: kibToJSON(s.hardLimitKiB),
});

/** The result for `--json`: KiB as numbers. */
function reclaimToJSON(r: ReclaimResult) {
  return { ...r, targetKiB: kibToJSON(r.targetKiB), before: snapshotToJSON(r.before), after: snapshotToJSON(r.after) };
}

/** `reclaim DOMAIN SIZE [--timeout MS] [--enforce] [--json]`: virtune's Design 2, QEMU only. */
export const run: CommandHandler = async (ctl, cmd) => {
  let timeoutMs: number | undefined;
  if (cmd.has('timeout')) {
    const text = cmd.value('timeout') ?? '';
    timeoutMs = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(timeoutMs)) {
      return ctl.fail(`Numeric value '${text}' for <timeout> option is malformed or out of range`);
    }
  }
  const dom = await domainOption(ctl, cmd);
  if (!dom) return false;
  const kib = sizeOption(ctl, cmd);
  if (kib === undefined) return false;
  const options = { ...(timeoutMs === undefined ? {} : { timeoutMs }), enforce: cmd.has('enforce') };
  const result = await attempt(ctl, 'Unable to reclaim memory', () => dom.reclaimMemory(kib, options));
  if (result === FAILED) return false;
  ctl.print(cmd.has('json') ? `${JSON.stringify(reclaimToJSON(result), null, 2)}\n` : formatReclaim(result));
  return true;
};
