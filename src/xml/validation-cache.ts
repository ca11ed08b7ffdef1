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

// Strict subsets of schemas/basictypes.rng's unsignedInt ([0-9]+, at most 4294967295) and positiveInteger.
const UNSIGNED_INT = /^[0-9]{1,9}$/;
const POSITIVE_INT = /^[1-9][0-9]{0,8}$/;

/** A value replaced in the key when its pattern proves it valid, and what replaces it. */
type Rule = readonly [RegExp, string];

/**
 * Where values are replaced, by place in the document (from `<domain>` down): the text of leaves, and attribute
 * values whose schema type is text or a number (attribute names, and all other values, stay in the key).
 */
interface Rules {
  leaf?: Rule;
  attrs?: Readonly<Record<string, Rule>>;
  /** For every attribute not in `attrs` (an element that takes any attribute with any value). */
  anyAttr?: Rule;
  children?: Readonly<Record<string, Rules>>;
}

const SCALED: Rules = { leaf: [UNSIGNED_LONG, '1'] };

// <cputune> and <blkiotune> values (schemas/basictypes.rng): periods 1000..1000000; quotas -1..17592186044415;
// blkio weights 100..1000; a device's path absolute, any character but a line break (printable ASCII here).
const PERIOD: Rules = { leaf: [/^(?:[1-9][0-9]{3,5}|1000000)$/, '1000'] };
const QUOTA: Rules = { leaf: [/^(?:-1|0|[1-9][0-9]{0,12})$/, '-1'] };
const BLKIO_WEIGHT: Rules = { leaf: [/^(?:[1-9][0-9]{2}|1000)$/, '100'] };
const COUNT: Rules = { leaf: [UNSIGNED_INT, '0'] };
const BYTES: Rules = { leaf: [UNSIGNED_LONG, '0'] };
const CPUTUNE: Rules = {
  children: {
    shares: COUNT, period: PERIOD, quota: QUOTA, global_period: PERIOD, global_quota: QUOTA, emulator_period: PERIOD,
    emulator_quota: QUOTA, iothread_period: PERIOD, iothread_quota: QUOTA,
  },
};
const BLKIOTUNE: Rules = {
  children: {
    weight: BLKIO_WEIGHT,
    device: {
      children: {
        path: { leaf: [/^\/[\x20-\x7e]{1,255}$/, '/p'] }, weight: BLKIO_WEIGHT, read_iops_sec: COUNT, write_iops_sec: COUNT,
        read_bytes_sec: BYTES, write_bytes_sec: BYTES,
      },
    },
  },
};
const ROOT: Rules = {
  attrs: { id: [UNSIGNED_INT, '1'] },
  children: {
    description: { leaf: [ANY_TEXT, 'd'] },
    name: { leaf: [NAME, 'n'] },
    uuid: { leaf: [UUID, '00000000-0000-0000-0000-000000000000'] },
    title: { leaf: [TITLE, 't'] },
    memory: SCALED,
    currentMemory: SCALED,
    maxMemory: { leaf: [UNSIGNED_LONG, '1'], attrs: { slots: [UNSIGNED_INT, '1'] } },
    vcpu: { leaf: [VCPU_COUNT, '1'], attrs: { cpuset: [ANY_TEXT, 'c'], current: [VCPU_COUNT, '1'] } },
    memtune: {
      children: { hard_limit: SCALED, soft_limit: SCALED, min_guarantee: SCALED, swap_hard_limit: SCALED, swap_soft_limit: SCALED },
    },
    blkiotune: BLKIOTUNE,
    cputune: CPUTUNE,
    // <os> takes any attribute with any value; <type>'s arch and machine and <boot>'s dev are text.
    os: {
      anyAttr: [ANY_TEXT, 'a'],
      children: {
        type: { attrs: { arch: [ANY_TEXT, 'a'], machine: [ANY_TEXT, 'm'] } },
        boot: { attrs: { dev: [ANY_TEXT, 'd'] } },
      },
    },
    devices: { children: { memballoon: { children: { stats: { attrs: { period: [POSITIVE_INT, '1'] } } } } } },
  },
};

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

function attrsShape(node: RawElementNode, rules: Rules | undefined): string {
  let out = '';
  for (const [n, v] of node.attrs) {
    // A namespace declaration is no attribute to RelaxNG, but its value decides which names the schema sees.
    const declaration = n === 'xmlns' || n.startsWith('xmlns:');
    const rule = declaration ? undefined : (rules?.attrs?.[n] ?? rules?.anyAttr);
    out += ` ${n}="${rule && rule[0].test(v) ? rule[1] : esc(v)}"`;
    // Per attribute: 256 values of 64 KiB of quotes, each escaped before the caller looked, cost half a second.
    if (out.length > MAX_KEY_LENGTH) throw TOO_LONG;
  }
  return out;
}

/** The shape of a node at a place with these replacement rules (none: everything verbatim). */
function shape(node: RawNode, rules: Rules | undefined): string {
  switch (node.k) {
    case 't':
      return esc(node.text);
    case 'cdata':
      return `<![CDATA[${node.text}]]>`;
    case 'c':
    case 'pi':
      return '';
    case 'e': {
      let out = `<${node.name}${attrsShape(node, rules)}>`;
      const leaf = rules?.leaf;
      const text = leaf ? soleText(node) : undefined;
      if (text !== undefined && leaf![0].test(text)) {
        out += leaf![1];
      } else {
        const elementOnly = node.children.some((c) => c.k === 'e');
        const children = rules?.children;
        for (const c of node.children) {
          if (c.k === 't' && elementOnly && WHITESPACE.test(c.text)) continue;
          out += shape(c, c.k === 'e' && children ? children[c.name] : undefined);
          if (out.length > MAX_KEY_LENGTH) throw TOO_LONG;
        }
      }
      if (out.length > MAX_KEY_LENGTH) throw TOO_LONG;
      return `${out}</${node.name}>`;
    }
  }
}

/**
 * The shape key of a domain document's light tree, or undefined when the document is too big to cache.
 * Reads the tree only.
 */
export function domainShapeKey(root: RawElementNode): string | undefined {
  try {
    return shape(root, root.name === 'domain' ? ROOT : undefined);
  } catch (e) {
    if (e === TOO_LONG) return undefined;
    throw e;
  }
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
