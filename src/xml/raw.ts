import type { Element, Node } from 'libxmljs2';
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

function qualify(local: string, prefix: string | null | undefined): string {
  return prefix ? `${prefix}:${local}` : local;
}

/** An element's qualified name as written in the document (`qemu:commandline`). */
export function qualifiedName(el: Element): string {
  return qualify(el.name(), el.namespace()?.prefix());
}

/** Namespace declarations made on this element, then its attributes, each as written. */
export function captureAttrs(el: Element, skip?: ReadonlySet<string>): RawAttr[] {
  const out: RawAttr[] = [];
  for (const ns of el.namespaces(true)) {
    const prefix = ns.prefix();
    out.push([prefix ? `xmlns:${prefix}` : 'xmlns', ns.href()]);
  }
  for (const a of el.attrs()) {
    const name = qualify(a.name(), a.namespace()?.prefix());
    if (skip?.has(name)) continue;
    out.push([name, a.value()]);
  }
  return out;
}

/** Throws libvirt's XML_ERROR when nesting exceeds {@link MAX_XML_DEPTH}. */
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
 * Copies a node into plain data. Whitespace-only text between child elements is dropped (it is indentation and
 * is regenerated); an element with any other text keeps all of its children exactly.
 *
 * @param depth nesting level of `node`, for the depth limit.
 * @returns undefined for nodes that carry nothing (whitespace text, DTD nodes).
 */
export function captureNode(node: Node, depth: number): RawNode | undefined {
  switch (node.type() as string) {
    case 'element':
      return captureElement(node as Element, depth);
    case 'text':
      return { k: 't', text: (node as unknown as { text(): string }).text() };
    case 'cdata':
      return { k: 'cdata', text: (node as unknown as { text(): string }).text() };
    case 'comment':
      return { k: 'c', text: (node as unknown as { text(): string }).text() };
    case 'pi': {
      const pi = node as unknown as { name(): string; text(): string };
      return { k: 'pi', name: pi.name(), text: pi.text() };
    }
    default:
      return undefined;
  }
}

function captureElement(el: Element, depth: number): RawNode {
  checkDepth(depth);
  const children: RawNode[] = [];
  for (const child of el.childNodes()) {
    const raw = captureNode(child, depth + 1);
    if (raw) children.push(raw);
  }
  return { k: 'e', name: qualifiedName(el), attrs: captureAttrs(el), children: dropIndentation(children) };
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

/** True when a text node is only indentation. */
export function isWhitespaceText(text: string): boolean {
  return WHITESPACE_ONLY.test(text);
}
