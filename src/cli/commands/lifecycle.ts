import type { CommandHandler } from '../command-def.js';
import { domainOptionWithWord, lookupDomain } from '../domain-lookup.js';
import { optString } from '../options.js';

const DESTROY_GRACEFUL = 1;
const START_PAUSED = 1;
/** virDomainShutdownFlagValues, by the names `--mode` takes. */
const SHUTDOWN_MODES: Readonly<Record<string, number>> = { acpi: 1, agent: 2, initctl: 4, signal: 8, paravirt: 16 };

/** `start DOMAIN [--paused]`: by name or UUID only, as virsh looks it up. */
export const start: CommandHandler = async (ctl, cmd) => {
  const word = optString(ctl, cmd, 'domain');
  if (word === null || word === undefined) return false;
  const dom = await lookupDomain(ctl, word, { byId: false });
  if (!dom) return false;
  if (dom.id >= 0) {
    ctl.error('Domain is already active');
    return false;
  }
  try {
    await dom.create(cmd.has('paused') ? START_PAUSED : 0);
  } catch (e) {
    ctl.setError(e);
    ctl.error(`Failed to start domain '${dom.name}'`);
    return false;
  }
  ctl.printExtra(`Domain '${dom.name}' started\n`);
  return true;
};

/** `destroy DOMAIN [--graceful]`; messages name the domain as the user did, as virsh's do. */
export const destroy: CommandHandler = async (ctl, cmd) => {
  const found = await domainOptionWithWord(ctl, cmd);
  if (!found) return false;
  const { dom, word } = found;
  try {
    await dom.destroy(cmd.has('graceful') ? DESTROY_GRACEFUL : 0);
  } catch (e) {
    ctl.setError(e);
    ctl.error(`Failed to destroy domain '${word}'`);
    return false;
  }
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
      ctl.error(`Unknown mode ${m} value, expecting 'acpi', 'agent', 'initctl', 'signal', or 'paravirt'`);
      return false;
    }
    flags |= bit;
  }
  const found = await domainOptionWithWord(ctl, cmd);
  if (!found) return false;
  const { dom, word } = found;
  try {
    await dom.shutdown(flags);
  } catch (e) {
    ctl.setError(e);
    ctl.error(`Failed to shutdown domain '${word}'`);
    return false;
  }
  ctl.printExtra(`Domain '${word}' is being shutdown\n`);
  return true;
};

/** `undefine DOMAIN`: removes the persistent definition (a running domain becomes transient). */
export const undefine: CommandHandler = async (ctl, cmd) => {
  const found = await domainOptionWithWord(ctl, cmd);
  if (!found) return false;
  const { dom, word } = found;
  try {
    await dom.undefine(0);
  } catch (e) {
    ctl.setError(e);
    ctl.error(`Failed to undefine domain '${word}'`);
    return false;
  }
  ctl.printExtra(`Domain '${word}' has been undefined\n`);
  return true;
};
