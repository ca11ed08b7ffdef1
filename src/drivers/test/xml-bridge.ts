import type { DomainDef } from '../../xml/domain-def.js';
import { formatDomainXML } from '../../xml/format-domain.js';

/**
 * Parses a domain definition, validating against libvirt's schema only when asked (DEFINE_VALIDATE).
 * The parser (and libxmljs2) is loaded on first use: most CLI runs never parse a document.
 */
export async function parseDomain(text: string, validate = false): Promise<DomainDef> {
  const { parseDomainXML } = await import('../../xml/parse-domain.js');
  return parseDomainXML(text, { validate });
}

/** Formats a definition; `inactive` leaves out what only a running domain has (its id). */
export function formatDomain(def: DomainDef, inactive: boolean): string {
  const out = formatDomainXML(def, { inactive });
  return out.endsWith('\n') ? out : `${out}\n`;
}
