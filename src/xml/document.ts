import type { Document } from 'libxmljs2';
import { libxml } from './libxml.js';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { MAX_XML_BYTES } from './limits.js';
import { lineOf } from './char-map.js';
import { checkMarkupLimits } from './markup-scan.js';

/** What callers may hand us: text, or UTF-8 bytes (checked strictly). */
export type XmlInput = string | Uint8Array;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// A DTD is the door to external entities, network loads and entity-expansion bombs; domain XML never needs one.
const DTD = /<!DOCTYPE|<!ENTITY/i;

function xmlError(domain: ErrorDomain, info: string): VirError {
  return new VirError(ErrorCode.XML_ERROR, domain, info);
}

/**
 * The checks made before libxml2 sees a document: type, size, encoding, NUL bytes, DTDs and how many nodes
 * it holds (see limits.ts).
 * Each failure is an XML_ERROR raised without parsing anything.
 */
export function preflight(input: unknown, domain: ErrorDomain): string {
  let xml: string;
  if (typeof input === 'string') {
    if (input.length > MAX_XML_BYTES || Buffer.byteLength(input, 'utf8') > MAX_XML_BYTES) {
      throw xmlError(domain, `document is larger than ${MAX_XML_BYTES} bytes`);
    }
    if (LONE_SURROGATE.test(input)) throw xmlError(domain, 'document is not valid Unicode (lone surrogate)');
    xml = input;
  } else if (input instanceof Uint8Array) {
    if (input.byteLength > MAX_XML_BYTES) throw xmlError(domain, `document is larger than ${MAX_XML_BYTES} bytes`);
    try {
      xml = utf8.decode(input);
    } catch {
      throw xmlError(domain, 'document is not valid UTF-8');
    }
  } else {
    throw new VirError(ErrorCode.INVALID_ARG, domain, 'XML document must be a string');
  }
  if (xml.includes('\0')) throw xmlError(domain, 'document contains a NUL character');
  if (DTD.test(xml)) throw xmlError(domain, 'DOCTYPE and ENTITY declarations are not allowed');
  checkMarkupLimits(xml, domain);
  return xml;
}

// No entity substitution, no DTD loading or validation, no network, libxml2's default size and depth limits.
// The text handed to libxml2 is always UTF-8 (a JS string, or bytes already checked as UTF-8), so an encoding
// declaration is ignored: otherwise libxml2 would refuse some (UTF-7) and read the schema-checked tree differently
// from the text virtune's tokenizer reads.
export const PARSE_OPTIONS = {
  ignore_enc: true,
  noent: false,
  dtdload: false,
  dtdvalid: false,
  dtdattr: false,
  nonet: true,
  huge: false,
  xinclude: false,
  noblanks: false,
  nocdata: false,
} as const;

interface LibxmlSyntaxError {
  message?: string;
  line?: number | null;
  column?: number;
}

/**
 * libvirt's report of a malformed document (its catchXMLError): `(NAME):LINE: MESSAGE`, then the offending
 * line and a `----^` pointer under the column.
 */
function syntaxError(xml: string, err: LibxmlSyntaxError, fileName: string, domain: ErrorDomain): VirError {
  const line = err.line ?? 1;
  // libxmljs2 words an empty input its own way; libxml2 (and so libvirt) says this.
  const raw = xml === '' ? 'Document is empty' : (err.message ?? 'parser error');
  const message = raw.replace(/\n?$/, '\n');
  // An empty context line is a NULL string in libvirt, which glibc's printf writes as `(null)`.
  const text = lineOf(xml, line);
  const col = Math.max(0, Math.min(text.length, (err.column ?? 1) - 1));
  // Runs of dashes between the tabs: appending (or replacing) per character costs seconds on a 10 MiB line.
  const pointer = text
    .slice(0, col)
    .split('\t')
    .map((run) => '-'.repeat(run.length))
    .join('\t');
  return new VirError(ErrorCode.XML_DETAIL, domain, `(${fileName}):${line}: ${message}${text || '(null)'}\n${pointer}^`);
}

/**
 * Parses untrusted XML safely (see {@link preflight}) with libxml2; returns the document and its checked text.
 *
 * @param fileName the name libvirt puts in syntax errors (`domain_definition`).
 * @throws VirError XML_ERROR from the pre-checks, XML_DETAIL for a malformed document.
 */
export function parseDocument(input: unknown, fileName: string, domain: ErrorDomain): { doc: Document; text: string } {
  const xml = preflight(input, domain);
  let doc: Document;
  try {
    doc = libxml().parseXml(xml, PARSE_OPTIONS);
  } catch (e) {
    throw syntaxError(xml, e as LibxmlSyntaxError, fileName, domain);
  }
  if (!doc.root()) throw xmlError(domain, 'document has no root element');
  return { doc, text: xml };
}
