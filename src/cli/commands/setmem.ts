import type { CommandContext } from '../context.js';
import { FAILED, attempt } from '../attempt.js';
import type { CommandHandler } from '../command-def.js';
import { domainOption } from '../domain-lookup.js';
import { affectFlags } from '../options.js';
import type { ParsedCommand } from '../parse.js';
import { sizeOption } from '../size-option.js';
import { DOMAIN_AFFECT_LIVE, DOMAIN_MEM_MAXIMUM } from '../../flags.js';
import type { Domain } from '../../connection/domain.js';

async function prepare(
  ctl: CommandContext,
  cmd: ParsedCommand,
): Promise<{ dom: Domain; kib: bigint; flags: number; explicit: boolean } | undefined> {
  const flags = affectFlags(ctl, cmd);
  if (flags === undefined) return undefined;
  const dom = await domainOption(ctl, cmd);
  if (!dom) return undefined;
  const kib = sizeOption(ctl, cmd);
  if (kib === undefined) return undefined;
  const explicit = cmd.has('config') || cmd.has('live') || cmd.has('current');
  return { dom, kib, flags, explicit };
}

/** `setmem DOMAIN SIZE [--config|--live|--current]`; without a flag virsh changes the running domain. */
export const setmem: CommandHandler = async (ctl, cmd) => {
  const p = await prepare(ctl, cmd);
  if (!p) return false;
  await p.dom.setMemory(p.kib, p.explicit ? p.flags : DOMAIN_AFFECT_LIVE);
  return true;
};

/**
 * `setmaxmem DOMAIN SIZE [--config|--live|--current]`. virsh 9.0 calls virDomainSetMemoryFlags with
 * VIR_DOMAIN_MEM_MAXIMUM (not virDomainSetMaxMemory), so errors name that function.
 */
export const setmaxmem: CommandHandler = async (ctl, cmd) => {
  const p = await prepare(ctl, cmd);
  if (!p) return false;
  const flags = p.flags | DOMAIN_MEM_MAXIMUM;
  return (await attempt(ctl, 'Unable to change MaxMemorySize', () => p.dom.setMemory(p.kib, flags))) !== FAILED;
};
