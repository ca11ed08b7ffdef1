import type { RawElementNode, RawNode } from './raw.js';

/**
 * A cache of documents already found valid, keyed by their *shape*: the document (as virtune's light tree)
 * without what RelaxNG ignores (comments, processing instructions, white space between elements) and with
 * the text of some leaf elements replaced by a fixed value. A text is replaced only when a strict check here
 * proves it valid for the schema (so the original and the replacement are both valid); anything else stays
 * verbatim and is left to the schema. Two documents with the same key are therefore valid or invalid together,
 * and the common case — many definitions differing in name, uuid and sizes — is validated once.
 *
 * Every pattern below must stay a subset of its type in schemas/*.rng: when a schema type is narrowed, narrow
 * the pattern too. test/xml/validation-cache.property.test.ts checks that the cache never changes a verdict
 * (mutated valid documents, cache warm vs. cleared); docs/xml.md gives the argument.
 *
 * This exists because libxmljs2 0.35 compiles the RelaxNG schema on every validation (no compiled-schema
 * handle), which costs hundreds of microseconds for schemas/domain.rng.
 */

// Strict subsets of what schemas/domain.rng accepts for each leaf; the replacement is inside the same subset.
const NAME = /^[^./\p{Cc}][^/\p{Cc}]{0,199}$/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TITLE = /^[^\n\r]*$/;
const UNSIGNED_LONG = /^[0-9]{1,19}$/;
// vCPU counts: schemas/basictypes.rng's countCPU is 1..65535.
const VCPU_COUNT = /^[1-9][0-9]{0,3}$/;

// <description> takes any text.
const ANY_TEXT = /^/;

const LEAVES: Record<string, readonly [RegExp, string]> = {
  description: [ANY_TEXT, 'd'],
  name: [NAME, 'n'],
  uuid: [UUID, '00000000-0000-0000-0000-000000000000'],
  title: [TITLE, 't'],
  memory: [UNSIGNED_LONG, '1'],
  currentMemory: [UNSIGNED_LONG, '1'],
  maxMemory: [UNSIGNED_LONG, '1'],
  vcpu: [VCPU_COUNT, '1'],
};
const MEMTUNE_LEAVES = new Set(['hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit', 'swap_soft_limit']);

/** Largest document whose shape is cached; bigger ones are always validated. */
const MAX_KEY_LENGTH = 64 * 1024;
/** Number of shapes remembered before the cache starts over. */
const MAX_ENTRIES = 2048;

const valid = new Set<string>();

/** The element's only child if it is text, else undefined. */
function soleText(el: RawElementNode): string | undefined {
  const c = el.children;
  return c.length === 1 && c[0]!.k === 't' ? c[0]!.text : undefined;
}

const NEEDS_ESCAPE = /[&<"]/;
const WHITESPACE = /^[ \t\r\n]*$/;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;' };
const SPECIAL = /[&<"]/g;

/** Thrown while building a key that has grown past {@link MAX_KEY_LENGTH}: such a document is not cached. */
const TOO_LONG = new Error('shape key too long');

function esc(s: string): string {
  if (s.length > MAX_KEY_LENGTH) throw TOO_LONG;
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(SPECIAL, (c) => ESCAPES[c]!);
}

/** The shape of a node; `leaf` is the replacement rule for this element's text, if any. */
function shape(node: RawNode, leaf: readonly [RegExp, string] | undefined): string {
  switch (node.k) {
    case 't':
      return esc(node.text);
    case 'cdata':
      return `<![CDATA[${node.text}]]>`;
    case 'c':
    case 'pi':
      return '';
    case 'e': {
      let out = `<${node.name}`;
      for (const [n, v] of node.attrs) out += ` ${n}="${esc(v)}"`;
      out += '>';
      const text = leaf ? soleText(node) : undefined;
      if (text !== undefined && leaf![0].test(text)) {
        out += leaf![1];
      } else {
        const elementOnly = node.children.some((c) => c.k === 'e');
        const childLeaves = node.name === 'memtune' ? MEMTUNE_LEAF : undefined;
        for (const c of node.children) {
          if (c.k === 't' && elementOnly && WHITESPACE.test(c.text)) continue;
          out += shape(c, c.k === 'e' && childLeaves && MEMTUNE_LEAVES.has(c.name) ? childLeaves : undefined);
        }
      }
      if (out.length > MAX_KEY_LENGTH) throw TOO_LONG;
      return `${out}</${node.name}>`;
    }
  }
}

const MEMTUNE_LEAF = [UNSIGNED_LONG, '1'] as const;

/**
 * The shape key of a domain document's light tree, or undefined when the document is too big to cache.
 * Reads the tree only.
 */
export function domainShapeKey(root: RawElementNode): string | undefined {
  try {
    return shapeOfRoot(root);
  } catch (e) {
    if (e === TOO_LONG) return undefined;
    throw e;
  }
}

function shapeOfRoot(root: RawElementNode): string | undefined {
  let key = `<${root.name}`;
  for (const [n, v] of root.attrs) key += ` ${n}="${esc(v)}"`;
  key += '>';
  const elementOnly = root.children.some((c) => c.k === 'e');
  for (const c of root.children) {
    if (c.k === 't' && elementOnly && WHITESPACE.test(c.text)) continue;
    key += shape(c, c.k === 'e' ? LEAVES[c.name] : undefined);
    if (key.length > MAX_KEY_LENGTH) return undefined;
  }
  key += `</${root.name}>`;
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
