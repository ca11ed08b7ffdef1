import { ErrorCode, type ErrorDomain, VirError } from '../errors.js';
import { MAX_XML_ATTRIBUTES_PER_ELEMENT, MAX_XML_CHILDREN_PER_ELEMENT, MAX_XML_NODES } from './limits.js';

/** One tag found by {@link scanMarkup}: where it starts and ends (exclusive) in the text. */
export interface TagSpan {
  /** `start` (an element's start tag), `empty` (`<x/>`), `end` (`</x>`), or `other` (comment, PI, CDATA). */
  kind: 'start' | 'empty' | 'end' | 'other';
  /** The qualified name of an element tag, else ''. */
  name: string;
  from: number;
  to: number;
  /** Attributes of a start or empty tag. */
  attrs: number;
}

const NAME = /[^\s/>=]+/y;
const SPACE = /\s*/y;

/** Index of `needle` at or after `from`, or the end of the text when there is none. */
function after(xml: string, needle: string, from: number): number {
  const at = xml.indexOf(needle, from);
  return at === -1 ? xml.length : at + needle.length;
}

/** An attribute of a tag: where its name starts and where its quoted value ends (exclusive). */
export interface AttributeSpan {
  name: string;
  from: number;
  to: number;
}

/**
 * Reads the attributes of a tag from `p` (just after the element's name) to its `>` or `/>`; `onAttr` sees
 * each. `kind` is undefined when the tag is not one XML allows; `end` is where reading stopped.
 */
function readAttributes(
  xml: string,
  start: number,
  onAttr?: (a: AttributeSpan) => void,
): { end: number; attrs: number; kind: 'start' | 'empty' | undefined } {
  let p = start;
  let attrs = 0;
  for (;;) {
    SPACE.lastIndex = p;
    SPACE.exec(xml);
    p = SPACE.lastIndex;
    const ch = xml[p];
    if (ch === '>') return { end: p + 1, attrs, kind: 'start' };
    if (ch === '/' && xml[p + 1] === '>') return { end: p + 2, attrs, kind: 'empty' };
    NAME.lastIndex = p;
    const name = NAME.exec(xml);
    if (!name) break;
    const from = p;
    SPACE.lastIndex = NAME.lastIndex;
    SPACE.exec(xml);
    p = SPACE.lastIndex;
    if (xml[p] !== '=') break;
    SPACE.lastIndex = p + 1;
    SPACE.exec(xml);
    p = SPACE.lastIndex;
    const q = xml[p];
    if (q !== '"' && q !== "'") break;
    const close = xml.indexOf(q, p + 1);
    if (close === -1) break;
    p = close + 1;
    attrs++;
    onAttr?.({ name: name[0], from, to: p });
  }
  return { end: p, attrs, kind: undefined };
}

/** The attributes of a well-formed start or empty tag found by {@link scanMarkup}. */
export function tagAttributes(xml: string, tag: TagSpan): AttributeSpan[] {
  const out: AttributeSpan[] = [];
  readAttributes(xml, tag.from + 1 + tag.name.length, (a) => out.push(a));
  return out;
}

/**
 * Walks the tags of a text in one pass, in linear time, whatever the text is: it never backtracks, and where
 * the text is not well-formed XML it skips to the next `<` (libxml2 refuses such a text anyway; the tags seen
 * before that point are the work libxml2 would do before it stops). `visit` sees each tag.
 */
export function scanMarkup(xml: string, visit: (tag: TagSpan) => void): void {
  const n = xml.length;
  let i = 0;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) return;
    const c = xml.charCodeAt(lt + 1);
    if (c === 0x21 /* ! */) {
      const to = xml.startsWith('<!--', lt)
        ? after(xml, '-->', lt + 4)
        : xml.startsWith('<![CDATA[', lt)
          ? after(xml, ']]>', lt + 9)
          : after(xml, '>', lt + 2);
      visit({ kind: 'other', name: '', from: lt, to, attrs: 0 });
      i = to;
      continue;
    }
    if (c === 0x3f /* ? */) {
      const to = after(xml, '?>', lt + 2);
      // The XML declaration is no node.
      if (!xml.startsWith('<?xml', lt) || !/\s/.test(xml[lt + 5] ?? '')) visit({ kind: 'other', name: '', from: lt, to, attrs: 0 });
      i = to;
      continue;
    }
    if (c === 0x2f /* / */) {
      NAME.lastIndex = lt + 2;
      const m = NAME.exec(xml);
      const to = after(xml, '>', lt + 2);
      visit({ kind: 'end', name: m ? m[0] : '', from: lt, to, attrs: 0 });
      i = to;
      continue;
    }
    NAME.lastIndex = lt + 1;
    const m = NAME.exec(xml);
    if (!m) {
      i = lt + 1;
      continue;
    }
    const { end: p, attrs, kind } = readAttributes(xml, NAME.lastIndex);
    if (kind === undefined) {
      // Not a tag XML allows: count what was seen, then go on at the next '<'.
      visit({ kind: 'empty', name: m[0], from: lt, to: p, attrs });
      i = Math.max(p, lt + 1);
      continue;
    }
    visit({ kind, name: m[0], from: lt, to: p, attrs });
    i = p;
  }
}

function tooMuch(domain: ErrorDomain, what: string): VirError {
  return new VirError(ErrorCode.XML_ERROR, domain, `document is too complex: ${what}`);
}

const PRINTABLE_NAME = /^[\w.:-]{1,64}$/;

/** An element's name for a message: quoted when it is a short plain name, else left out. */
function element(name: string): string {
  return PRINTABLE_NAME.test(name) ? `element '${name}'` : 'an element';
}

/**
 * Refuses a document that would cost more than the limits allow ({@link MAX_XML_NODES},
 * {@link MAX_XML_ATTRIBUTES_PER_ELEMENT}, {@link MAX_XML_CHILDREN_PER_ELEMENT}), before libxml2 parses it.
 * Linear in the text's length.
 *
 * @throws VirError XML_ERROR `document is too complex: ...`
 */
export function checkMarkupLimits(xml: string, domain: ErrorDomain): void {
  // Every reference is decoded on its own (by libxml2 and by virtune's tokenizer): count them as nodes.
  let nodes = 0;
  for (let at = xml.indexOf('&'); at !== -1 && nodes <= MAX_XML_NODES; at = xml.indexOf('&', at + 1)) nodes++;
  // The open elements with their child counts; the bottom entry stands for the document.
  const open: { name: string; children: number }[] = [{ name: '', children: 0 }];
  scanMarkup(xml, (tag) => {
    if (tag.kind === 'end') {
      if (open.length > 1) open.pop();
      return;
    }
    nodes += 1 + tag.attrs;
    if (nodes > MAX_XML_NODES) {
      throw tooMuch(domain, `more than ${MAX_XML_NODES} nodes (elements, attributes, comments, processing instructions, references)`);
    }
    if (tag.attrs > MAX_XML_ATTRIBUTES_PER_ELEMENT) {
      throw tooMuch(domain, `${element(tag.name)} has more than ${MAX_XML_ATTRIBUTES_PER_ELEMENT} attributes`);
    }
    const parent = open[open.length - 1]!;
    if (++parent.children > MAX_XML_CHILDREN_PER_ELEMENT) {
      throw tooMuch(domain, `${element(parent.name)} has more than ${MAX_XML_CHILDREN_PER_ELEMENT} child nodes`);
    }
    if (tag.kind === 'start') open.push({ name: tag.name, children: 0 });
  });
}
