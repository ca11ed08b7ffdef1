import type { DomainDef } from '../../xml/domain-def.js';

// The XML module is loaded on first use: opening test:///default and most CLI commands (memtune, setmem, list)
// never parse or print a document, and the parser brings libxmljs2, which dominates the CLI's cold start.

let parser: Promise<typeof import('../../xml/parse-domain.js')> | undefined;
let formatter: Promise<typeof import('../../xml/format-domain.js')> | undefined;

/** Parses a domain definition, validating against libvirt's schema only when asked (DEFINE_VALIDATE). */
export async function parseDomain(text: string, validate = false): Promise<DomainDef> {
  const { parseDomainXML } = await (parser ??= import('../../xml/parse-domain.js'));
  return parseDomainXML(text, { validate });
}

/**
 * The formatter of definitions, loaded on first use; `inactive` leaves out what only a running domain has (its
 * id). Callers load it before reading a definition so that nothing can change it between read and print.
 */
export async function domainFormatter(): Promise<(def: DomainDef, inactive: boolean) => string> {
  const { formatDomainXML } = await (formatter ??= import('../../xml/format-domain.js'));
  return (def, inactive) => {
    const out = formatDomainXML(def, { inactive });
    return out.endsWith('\n') ? out : `${out}\n`;
  };
}
