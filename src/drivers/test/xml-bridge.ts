import { formatDomainXML, parseDomainXML } from '../../xml/index.js';
import type { DomainDef } from '../../xml/domain-def.js';

/** Parses a domain definition, validating against libvirt's schema only when asked (DEFINE_VALIDATE). */
export function parseDomain(text: string, validate = false): DomainDef {
  return parseDomainXML(text, { validate });
}

/** Formats a definition; `inactive` leaves out what only a running domain has (its id). */
export function formatDomain(def: DomainDef, inactive: boolean): string {
  const out = formatDomainXML(def, { inactive });
  return out.endsWith('\n') ? out : `${out}\n`;
}
