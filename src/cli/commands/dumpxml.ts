import type { CommandHandler } from '../command-def.js';
import { domainOption } from '../domain-lookup.js';
import { DOMAIN_XML_INACTIVE, DOMAIN_XML_MIGRATABLE, DOMAIN_XML_SECURE, DOMAIN_XML_UPDATE_CPU } from '../../flags.js';

const FLAGS: ReadonlyArray<readonly [string, number]> = [
  ['inactive', DOMAIN_XML_INACTIVE],
  ['security-info', DOMAIN_XML_SECURE],
  ['update-cpu', DOMAIN_XML_UPDATE_CPU],
  ['migratable', DOMAIN_XML_MIGRATABLE],
];

/** `dumpxml DOMAIN [--inactive] [--security-info] [--update-cpu] [--migratable]` (virsh's cmdDumpXML). */
export const run: CommandHandler = async (ctl, cmd) => {
  let flags = 0;
  for (const [name, bit] of FLAGS) if (cmd.has(name)) flags |= bit;
  const dom = await domainOption(ctl, cmd);
  if (!dom) return false;
  ctl.print(await dom.getXMLDesc(flags));
  return true;
};
