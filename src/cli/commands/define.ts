import type { CommandHandler } from '../command-def.js';
import { optString } from '../options.js';
import { readXMLFile } from '../read-file.js';
import { DOMAIN_DEFINE_VALIDATE } from '../../flags.js';
import { ErrorCode, VirError } from '../../errors.js';

/** `define FILE [--validate]` (virsh's cmdDefine). */
export const run: CommandHandler = async (ctl, cmd) => {
  const file = optString(ctl, cmd, 'file');
  if (file === null || file === undefined) return false;
  let xml: string;
  try {
    xml = await readXMLFile(file);
  } catch (e) {
    ctl.setError(e);
    // A file read but not decodable is a definition that failed, as in virsh (which fails in its XML parser).
    if (e instanceof VirError && e.code === ErrorCode.XML_ERROR) ctl.error(`Failed to define domain from ${file}`);
    return false;
  }
  let name: string;
  try {
    name = (await ctl.conn.defineDomainXML(xml, cmd.has('validate') ? DOMAIN_DEFINE_VALIDATE : 0)).name;
  } catch (e) {
    ctl.setError(e);
    ctl.error(`Failed to define domain from ${file}`);
    return false;
  }
  ctl.printExtra(`Domain '${name}' defined from ${file}\n`);
  return true;
};
