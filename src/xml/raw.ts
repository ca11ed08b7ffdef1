import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { MAX_XML_DEPTH } from './limits.js';

/** An attribute kept verbatim: qualified name (namespace declarations included) and value. */
export type RawAttr = [name: string, value: string];

/**
 * XML that virtune does not model, kept as plain data (structuredClone-able, JSON-safe) so it can be written back
 * in its place. Element-only content is re-indented on output; an element holding any text keeps all of its
 * content byte for byte.
 */
export type RawNode =
  | { k: 'e'; name: string; attrs: RawAttr[]; children: RawNode[] }
  | { k: 't'; text: string }
  | { k: 'cdata'; text: string }
  | { k: 'c'; text: string }
  | { k: 'pi'; name: string; text: string };

const WHITESPACE_ONLY = /^[ \t\r\n]*$/;

/** An element of a raw tree. */
export type RawElementNode = Extract<RawNode, { k: 'e' }>;

/** The value of an attribute, as written in the document. */
export function attrOf(el: RawElementNode | undefined, name: string): string | undefined {
  if (!el) return undefined;
  for (const a of el.attrs) if (a[0] === name) return a[1];
  return undefined;
}

/** The attributes of an element other than `modeled` ones, or undefined when there are none. */
export function otherAttrs(el: RawElementNode | undefined, modeled: ReadonlySet<string>): RawAttr[] | undefined {
  if (!el || el.attrs.length === 0) return undefined;
  const out = el.attrs.filter((a) => !modeled.has(a[0]));
  return out.length > 0 ? out : undefined;
}

/**
 * The first child named `name` of any of `parents`, in document order: what libvirt's XPath
 * `string(./PARENT/NAME[1])` reads (the parents in document order).
 */
export function firstChildOf(parents: readonly RawElementNode[], name: string): RawElementNode | undefined {
  for (const p of parents) {
    for (const c of p.children) if (c.k === 'e' && c.name === name) return c;
  }
  return undefined;
}

/** The text content of a node and its descendants (libxml2's xmlNodeGetContent: text and CDATA). */
export function contentOf(node: RawNode): string {
  switch (node.k) {
    case 't':
    case 'cdata':
      return node.text;
    case 'e': {
      if (node.children.length === 1) return contentOf(node.children[0]!);
      let s = '';
      for (const c of node.children) s += contentOf(c);
      return s;
    }
    default:
      return '';
  }
}

/** Throws an XML_ERROR when nesting exceeds {@link MAX_XML_DEPTH}. */
export function checkDepth(depth: number): void {
  if (depth > MAX_XML_DEPTH) {
    throw new VirError(
      ErrorCode.XML_ERROR,
      ErrorDomain.DOMAIN,
      `document nests elements deeper than ${MAX_XML_DEPTH} levels`,
    );
  }
}

/**
 * Prepares a parsed node for keeping: whitespace-only text between child elements is dropped (it is
 * indentation and is regenerated); an element with any other text keeps all of its children exactly.
 * Works in place on the freshly parsed tree.
 *
 * @param depth nesting level of `node`, for the depth limit.
 */
export function keepNode(node: RawNode, depth: number): RawNode {
  if (node.k !== 'e') return node;
  checkDepth(depth);
  for (const c of node.children) keepNode(c, depth + 1);
  node.children = dropIndentation(node.children);
  return node;
}

/** True for content written inline: an element holding text or CDATA. */
export function hasTextContent(children: readonly RawNode[]): boolean {
  return children.some((c) => c.k === 't' || c.k === 'cdata');
}

/**
 * Element-only content loses its whitespace text (indentation); content with real text keeps everything,
 * and so does text-only content (`<x>  </x>` keeps its spaces).
 */
function dropIndentation(children: RawNode[]): RawNode[] {
  let real = false;
  let other = false;
  for (const c of children) {
    if (c.k === 'cdata' || (c.k === 't' && !WHITESPACE_ONLY.test(c.text))) real = true;
    else if (c.k !== 't') other = true;
  }
  if (real || !other) return children;
  return children.filter((c) => c.k !== 't');
}
