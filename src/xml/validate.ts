import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Document, Element } from 'libxmljs2';
import { libxml } from './libxml.js';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { RawElementNode } from './raw.js';
import { PARSE_OPTIONS } from './document.js';
import { domainSchemaView } from './schema-view.js';
import { domainShapeKey, isKnownValid, rememberValid } from './validation-cache.js';

/** Directory of virtune's RelaxNG schemas (the package's schemas/). */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/**
 * The schemas virtune ships: `domain` (schemas/domain.rng), `memtune` (schemas/memtune.rng) and `cim-xml`
 * (schemas/cim-xml.rng, the CIM-XML messages of virtune's CIM server).
 */
export type SchemaName = 'domain' | 'memtune' | 'cim-xml';

const cache = new Map<SchemaName, Document>();

/**
 * Loads a schema once and resolves its `<include>`s in memory, giving one self-contained grammar document.
 * libxmljs2 0.35 compiles the schema document on every validation (there is no compiled-schema handle), so the
 * parsed, include-free document is what can be reused: it saves the file reads and XML parsing per call.
 */
export function loadSchema(name: SchemaName): Document {
  let doc = cache.get(name);
  if (!doc) {
    doc = libxml().parseXml(inlineIncludes(`${name}.rng`, new Set()), { nonet: true });
    cache.set(name, doc);
  }
  return doc;
}

function grammarChildren(el: Element): Element[] {
  return el.childNodes().filter((n): n is Element => n.type() === 'element');
}

function componentKey(el: Element): string | undefined {
  if (el.name() === 'start') return 'start';
  if (el.name() === 'define') return `define:${el.attr('name')?.value()}`;
  return undefined;
}

/**
 * The text of a grammar file with each `<include href>` replaced by the included grammar's components,
 * minus those the include element overrides (RelaxNG's include semantics).
 */
function inlineIncludes(file: string, seen: Set<string>): string {
  if (seen.has(file)) throw new Error(`schema include cycle at ${file}`);
  seen.add(file);
  const doc = libxml().parseXml(readFileSync(SCHEMA_DIR + file, 'utf8'), { nonet: true });
  const root = doc.root()!;
  for (const inc of grammarChildren(root)) {
    if (inc.name() !== 'include') continue;
    const href = inc.attr('href')!.value();
    const included = libxml().parseXml(inlineIncludes(href, new Set(seen)), { nonet: true }).root()!;
    const overrides = grammarChildren(inc);
    const overridden = new Set(overrides.map(componentKey).filter((k) => k !== undefined));
    for (const comp of grammarChildren(included)) {
      const key = componentKey(comp);
      if (key !== undefined && overridden.has(key)) continue;
      inc.addPrevSibling(comp.clone());
    }
    for (const o of overrides) inc.addPrevSibling(o.clone());
    inc.remove();
  }
  return doc.toString(false);
}

interface LibxmlValidationError {
  message?: string;
  line?: number | null;
}

/** libxml2 leaves the line out of some RelaxNG errors; the element they name tells where to look. */
function lineOfNamedElement(doc: Document, message: string): number | undefined {
  const m = /[Ee]lement ([A-Za-z_][\w.-]*)/.exec(message);
  if (!m) return undefined;
  try {
    return doc.get(`//${m[1]}`)?.line() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Validates a parsed document against one of virtune's schemas.
 *
 * @throws VirError XML_INVALID_SCHEMA listing libxml2's findings, each with its line:
 *   `XML document failed to validate against schema: Unable to validate doc against schemas/domain.rng` ...
 */
export function validateAgainst(doc: Document, name: SchemaName): void {
  const schema = loadSchema(name);
  const ok = (doc as unknown as { rngValidate(s: Document): boolean }).rngValidate(schema);
  if (ok) return;
  throw schemaError(doc, name);
}

/**
 * Validates a domain document, skipping the schema when a document of the same shape was valid before
 * (see validation-cache.ts). `doc` is the parsed `text` (undefined when it was not parsed: it is then parsed
 * only if the schema has to run), `tree` its light tree (src/xml/tokenizer.ts). What the
 * schema lets through unchecked is left out before libxml2 validates (see schema-view.ts), which keeps the
 * time linear in the document's size.
 */
export function validateDomainDocument(doc: Document | undefined, text: string, tree: RawElementNode): void {
  const key = domainShapeKey(tree);
  if (isKnownValid(key)) return;
  const view = domainSchemaView(text);
  validateAgainst(view === text && doc ? doc : libxml().parseXml(view, PARSE_OPTIONS), 'domain');
  rememberValid(key);
}

/**
 * libxml2 reports a fault inside an interleave at its parent (`Extra element memtune in interleave`). Checking
 * each `<memtune>` alone against memtune.rng names the child at fault and its line.
 */
function memtuneDetails(doc: Document): string[] {
  const out: string[] = [];
  for (const el of doc.find('/domain/memtune') as Element[]) {
    let part: Document;
    try {
      part = libxml().parseXml(el.toString(false), { nonet: true });
    } catch {
      // The element alone is not a document libxml2 reads back (a namespace declared on an ancestor, a
      // declaration libxml2 refuses): the details are lost, the verdict stands.
      continue;
    }
    const ok = (part as unknown as { rngValidate(s: Document): boolean }).rngValidate(loadSchema('memtune'));
    if (ok) continue;
    for (const e of part.validationErrors as LibxmlValidationError[]) {
      const line = e.line ? el.line() + e.line - 1 : el.line();
      out.push(`line ${line}: ${(e.message ?? '').trim()}`);
    }
  }
  return out;
}

function schemaError(doc: Document, name: SchemaName): VirError {
  const errors = (doc.validationErrors as LibxmlValidationError[]).map((e) => {
    const message = (e.message ?? '').trim();
    return `line ${e.line || lineOfNamedElement(doc, message) || '?'}: ${message}`;
  });
  if (name === 'domain') errors.push(...memtuneDetails(doc));
  return new VirError(
    ErrorCode.XML_INVALID_SCHEMA,
    ErrorDomain.XML,
    `Unable to validate doc against schemas/${name}.rng\n${errors.join('\n')}`,
  );
}
