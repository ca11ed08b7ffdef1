import type { Document, Element } from 'libxmljs2';

/**
 * A cache of documents already found valid, keyed by their *shape*: the document with the text of some leaf
 * elements replaced by a fixed value. A text is replaced only when a strict check here proves it valid for the
 * schema (so the original and the replacement are both valid); anything else stays verbatim and is left to the
 * schema. Two documents with the same key are therefore valid or invalid together, and the common case —
 * many definitions differing in name, uuid and sizes — is validated once.
 *
 * This exists because libxmljs2 0.35 compiles the RelaxNG schema on every validation (no compiled-schema
 * handle), which costs hundreds of microseconds for schemas/domain.rng.
 */

// Strict subsets of what schemas/domain.rng accepts for each leaf; the replacement is inside the same subset.
const NAME = /^[^./\p{Cc}][^/\p{Cc}]{0,199}$/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TITLE = /^[^\n\r]*$/;
const UNSIGNED_LONG = /^[0-9]{1,19}$/;
const POSITIVE_INT = /^[1-9][0-9]{0,8}$/;

// <description> takes any text; its replacement keeps the line breaks so later error lines do not move.
const ANY_TEXT = /^/;

const LEAVES: Record<string, readonly [RegExp, string | ((text: string) => string)]> = {
  description: [ANY_TEXT, (text) => `${text.replace(/[^\n]/g, '')}d`],
  name: [NAME, 'n'],
  uuid: [UUID, '00000000-0000-0000-0000-000000000000'],
  title: [TITLE, 't'],
  memory: [UNSIGNED_LONG, '1'],
  currentMemory: [UNSIGNED_LONG, '1'],
  maxMemory: [UNSIGNED_LONG, '1'],
  vcpu: [POSITIVE_INT, '1'],
};
const MEMTUNE_LEAVES = new Set(['hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit', 'swap_soft_limit']);

/** Largest document whose shape is cached; bigger ones are always validated. */
const MAX_KEY_LENGTH = 64 * 1024;
/** Number of shapes remembered before the cache starts over. */
const MAX_ENTRIES = 2048;

const valid = new Set<string>();

/** The element's only child if it is text, else undefined. */
function soleText(el: Element): string | undefined {
  const children = el.childNodes();
  if (children.length !== 1 || children[0]!.type() !== 'text') return undefined;
  return el.text();
}

function replaceLeaf(el: Element, pattern: RegExp, replacement: string | ((text: string) => string)): void {
  const text = soleText(el);
  if (text !== undefined && pattern.test(text)) el.text(typeof replacement === 'string' ? replacement : replacement(text));
}

/**
 * Replaces provably valid leaf values of a parsed domain document in place and returns its shape key, or
 * undefined when the document is not worth caching. Call only on a document that is not used afterwards
 * except for validation: replaced values are valid, so validation errors stay the same and keep their lines.
 */
export function domainShapeKey(doc: Document): string | undefined {
  const root = doc.root();
  if (!root) return undefined;
  for (const child of root.childNodes()) {
    if (child.type() !== 'element') continue;
    const el = child as Element;
    if (el.namespace()) continue;
    const name = el.name();
    const leaf = LEAVES[name];
    if (leaf) replaceLeaf(el, leaf[0], leaf[1]);
    else if (name === 'memtune') {
      for (const m of el.childNodes()) {
        if (m.type() === 'element' && MEMTUNE_LEAVES.has((m as Element).name())) replaceLeaf(m as Element, UNSIGNED_LONG, '1');
      }
    }
  }
  const key = doc.toString(false);
  return key.length <= MAX_KEY_LENGTH ? key : undefined;
}

/** True when a document of this shape was found valid before. */
export function isKnownValid(key: string | undefined): boolean {
  return key !== undefined && valid.has(key);
}

/** Remembers a valid shape. */
export function rememberValid(key: string | undefined): void {
  if (key === undefined) return;
  if (valid.size >= MAX_ENTRIES) valid.clear();
  valid.add(key);
}

/** Forgets every remembered shape (tests, and after schema files change). */
export function clearValidationCache(): void {
  valid.clear();
}
