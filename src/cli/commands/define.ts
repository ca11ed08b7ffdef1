import { FAILED, attempt } from '../attempt.js';
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
    // A file read but not decodable is a definition that failed, as in virsh (which fails in its XML parser).
    if (e instanceof VirError && e.code === ErrorCode.XML_ERROR) {
      return ctl.fail(`Failed to define domain from ${file}`, e);
    }
    ctl.setError(e);
    return false;
  }
  const flags = cmd.has('validate') ? DOMAIN_DEFINE_VALIDATE : 0;
  const dom = await attempt(ctl, `Failed to define domain from ${file}`, () => ctl.conn.defineDomainXML(xml, flags));
  if (dom === FAILED) return false;
  ctl.printExtra(`Domain '${dom.name}' defined from ${file}\n`);
  return true;
};
