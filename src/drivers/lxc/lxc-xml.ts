import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { parseDomainXML } from '../../xml/index.js';
import { applyDefaultClock } from '../../xml/default-clock.js';
import type { DomainDef } from '../../xml/domain-def.js';

/**
 * Parses a definition for the LXC driver: `<domain type='lxc'>` with `<os><type>exe</type>`; `<init>`
 * defaults to /sbin/init, as in libvirt.
 */
export function parseLxcDomainXML(text: string, validate = false): DomainDef {
  const def = parseDomainXML(text, { validate });
  if (def.type !== 'lxc') {
    throw new VirError(
      ErrorCode.CONFIG_UNSUPPORTED,
      ErrorDomain.LXC,
      `could not find capabilities for domaintype=${def.type}`,
    );
  }
  if (def.os.type !== 'exe') {
    throw new VirError(
      ErrorCode.CONFIG_UNSUPPORTED,
      ErrorDomain.LXC,
      `could not find capabilities for os type '${def.os.type}': containers need 'exe'`,
    );
  }
  if (def.os.init === undefined) def.os.init = '/sbin/init';
  return applyDefaultClock(def);
}
