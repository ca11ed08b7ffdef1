import { FAILED, attempt } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';
import { domainOptionWithWord, lookupDomain } from '../domain-lookup.js';
import {
  DOMAIN_DESTROY_GRACEFUL,
  DOMAIN_SHUTDOWN_ACPI_POWER_BTN,
  DOMAIN_SHUTDOWN_GUEST_AGENT,
  DOMAIN_SHUTDOWN_INITCTL,
  DOMAIN_SHUTDOWN_PARAVIRT,
  DOMAIN_SHUTDOWN_SIGNAL,
  DOMAIN_START_PAUSED,
} from '../../flags.js';
import { optString } from '../options.js';

/** virDomainShutdownFlagValues, by the names `--mode` takes. */
const SHUTDOWN_MODES: Readonly<Record<string, number>> = {
  acpi: DOMAIN_SHUTDOWN_ACPI_POWER_BTN,
  agent: DOMAIN_SHUTDOWN_GUEST_AGENT,
  initctl: DOMAIN_SHUTDOWN_INITCTL,
  signal: DOMAIN_SHUTDOWN_SIGNAL,
  paravirt: DOMAIN_SHUTDOWN_PARAVIRT,
};

/** `start DOMAIN [--paused]`: by name or UUID only, as virsh looks it up. */
export const start: CommandHandler = async (ctl, cmd) => {
  const word = optString(ctl, cmd, 'domain');
  if (word === null || word === undefined) return false;
  const dom = await lookupDomain(ctl, word, { byId: false });
  if (!dom) return false;
  if (dom.id >= 0) {
    return ctl.fail('Domain is already active');
  }
  const flags = cmd.has('paused') ? DOMAIN_START_PAUSED : 0;
  if ((await attempt(ctl, `Failed to start domain '${dom.name}'`, () => dom.create(flags))) === FAILED) return false;
  ctl.printExtra(`Domain '${dom.name}' started\n`);
  return true;
};

/** `destroy DOMAIN [--graceful]`; messages name the domain as the user did, as virsh's do. */
export const destroy: CommandHandler = async (ctl, cmd) => {
  const found = await domainOptionWithWord(ctl, cmd);
  if (!found) return false;
  const { dom, word } = found;
  const flags = cmd.has('graceful') ? DOMAIN_DESTROY_GRACEFUL : 0;
  if ((await attempt(ctl, `Failed to destroy domain '${word}'`, () => dom.destroy(flags))) === FAILED) return false;
  ctl.printExtra(`Domain '${word}' destroyed\n`);
  return true;
};

/** `shutdown DOMAIN [--mode acpi,agent,...]`: the modes are checked before the domain is looked up, as in virsh. */
export const shutdown: CommandHandler = async (ctl, cmd) => {
  const mode = optString(ctl, cmd, 'mode');
  if (mode === null) return false;
  let flags = 0;
  for (const m of mode === undefined ? [] : mode.split(',')) {
    const bit = SHUTDOWN_MODES[m];
    if (bit === undefined) {
      return ctl.fail(`Unknown mode ${m} value, expecting 'acpi', 'agent', 'initctl', 'signal', or 'paravirt'`);
    }
    flags |= bit;
  }
  const found = await domainOptionWithWord(ctl, cmd);
  if (!found) return false;
  const { dom, word } = found;
  if ((await attempt(ctl, `Failed to shutdown domain '${word}'`, () => dom.shutdown(flags))) === FAILED) return false;
  ctl.printExtra(`Domain '${word}' is being shutdown\n`);
  return true;
};

/** `undefine DOMAIN`: removes the persistent definition (a running domain becomes transient). */
export const undefine: CommandHandler = async (ctl, cmd) => {
  const found = await domainOptionWithWord(ctl, cmd);
  if (!found) return false;
  const { dom, word } = found;
  if ((await attempt(ctl, `Failed to undefine domain '${word}'`, () => dom.undefine(0))) === FAILED) return false;
  ctl.printExtra(`Domain '${word}' has been undefined\n`);
  return true;
};
