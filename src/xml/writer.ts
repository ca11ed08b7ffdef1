import { replaceCodeUnits } from './char-map.js';
import { hasTextContent, type RawAttr, type RawNode } from './raw.js';

/**
 * libvirt's output conventions: two-space indentation, single-quoted attributes, `'` and `"` escaped in text
 * as well as attributes. Beyond libvirt, characters XML parsing would normalise away (CR in text; CR, LF, TAB
 * in attributes) are written as character references so that a second parse gives back the same data.
 */
const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&apos;',
  '"': '&quot;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};
const TEXT_SPECIAL = /[&<>'"\r]/g;
const ATTR_SPECIAL = /[&<>'"\r\n\t]/g;
// Separate, non-global twins for the fast test: a /g regex keeps state between test() calls.
const HAS_TEXT_SPECIAL = /[&<>'"\r]/;
const HAS_ATTR_SPECIAL = /[&<>'"\r\n\t]/;

// libxml2's serializer (xmlNodeDump), which libvirt uses for the content of <metadata>: double quotes,
// quotes left alone in text.
const LIBXML_TEXT = /[&<>\r]/g;
const LIBXML_ATTR = /[&<>"\r\n\t]/g;
const HAS_LIBXML_TEXT = /[&<>\r]/;
const HAS_LIBXML_ATTR = /[&<>"\r\n\t]/;

/** Attribute and text quoting: libvirt's own, or libxml2's (for `<metadata>` content). */
export type QuoteStyle = 'libvirt' | 'libxml';

function escapeTextIn(style: QuoteStyle, s: string): string {
  if (style === 'libvirt') return escapeText(s);
  return HAS_LIBXML_TEXT.test(s) ? replaceCodeUnits(s, LIBXML_TEXT, TEXT_ESCAPES) : s;
}

function attrsIn(style: QuoteStyle, attrs: ReadonlyArray<readonly [string, string]>): string {
  if (style === 'libvirt') return formatAttrs(attrs);
  let out = '';
  for (const [name, value] of attrs) {
    out += ` ${name}="${HAS_LIBXML_ATTR.test(value) ? replaceCodeUnits(value, LIBXML_ATTR, TEXT_ESCAPES) : value}"`;
  }
  return out;
}

/** Escapes element text as libvirt does (plus CR). */
export function escapeText(s: string): string {
  return HAS_TEXT_SPECIAL.test(s) ? replaceCodeUnits(s, TEXT_SPECIAL, TEXT_ESCAPES) : s;
}

/** Escapes an attribute value for single quotes. */
export function escapeAttr(s: string): string {
  return HAS_ATTR_SPECIAL.test(s) ? replaceCodeUnits(s, ATTR_SPECIAL, TEXT_ESCAPES) : s;
}

const INDENTS: string[] = [];
/** `depth` levels of two-space indentation. */
export function indent(depth: number): string {
  return (INDENTS[depth] ??= '  '.repeat(depth));
}

/** ` a='1' b='2'` for a list of attributes; undefined values are left out. */
export function formatAttrs(attrs: ReadonlyArray<readonly [string, string | undefined]>): string {
  let s = '';
  for (const [name, value] of attrs) {
    if (value !== undefined) s += ` ${name}='${escapeAttr(value)}'`;
  }
  return s;
}

/**
 * An output buffer of lines. Elements are written as libvirt writes them: a leaf with text on one line,
 * an empty element self-closed, children indented by two spaces.
 */
export class XmlLines {
  private out = '';

  /** `<name attrs>text</name>` on one line. */
  textElement(depth: number, name: string, text: string, attrs = ''): void {
    this.out += `${indent(depth)}<${name}${attrs}>${escapeText(text)}</${name}>\n`;
  }

  /** `<name attrs/>`. */
  emptyElement(depth: number, name: string, attrs = ''): void {
    this.out += `${indent(depth)}<${name}${attrs}/>\n`;
  }

  /** `<name attrs>` on its own line; close with {@link close}. */
  open(depth: number, name: string, attrs = ''): void {
    this.out += `${indent(depth)}<${name}${attrs}>\n`;
  }

  /** `</name>` on its own line. */
  close(depth: number, name: string): void {
    this.out += `${indent(depth)}</${name}>\n`;
  }

  /** Writes an element whose children are produced by `body`; self-closes it if `body` writes nothing. */
  parent(depth: number, name: string, attrs: string, body: () => void): void {
    const mark = this.out.length;
    this.open(depth, name, attrs);
    const afterOpen = this.out.length;
    body();
    if (this.out.length === afterOpen) {
      this.out = this.out.slice(0, mark);
      this.emptyElement(depth, name, attrs);
    } else {
      this.close(depth, name);
    }
  }

  /**
   * A node kept verbatim, re-indented at `depth`. libvirt writes `<metadata>` content with libxml2's
   * serializer, so that content is quoted the libxml2 way.
   */
  raw(depth: number, node: RawNode, style: QuoteStyle = 'libvirt'): void {
    switch (node.k) {
      case 'e': {
        const attrs = attrsIn(style, node.attrs);
        if (node.children.length === 0) this.emptyElement(depth, node.name, attrs);
        else if (hasTextContent(node.children)) this.out += `${indent(depth)}${inline(node, style)}\n`;
        else {
          this.open(depth, node.name, attrs);
          const inner = depth === 1 && node.name === 'metadata' ? 'libxml' : style;
          for (const c of node.children) this.raw(depth + 1, c, inner);
          this.close(depth, node.name);
        }
        return;
      }
      case 'c':
        this.out += `${indent(depth)}<!--${node.text}-->\n`;
        return;
      case 'pi':
        this.out += `${indent(depth)}${pi(node.name, node.text)}\n`;
        return;
      default:
        // Stray text outside any text-bearing element; callers drop it before it gets here.
        this.out += `${indent(depth)}${inline(node, style)}\n`;
    }
  }

  /** Appends preformatted lines. */
  append(s: string): void {
    this.out += s;
  }

  /** Everything written so far. */
  toString(): string {
    return this.out;
  }
}

function pi(name: string, text: string): string {
  return text === '' ? `<?${name}?>` : `<?${name} ${text}?>`;
}

/** A node and its content exactly as parsed, without added white space. */
function inline(node: RawNode, style: QuoteStyle): string {
  switch (node.k) {
    case 't':
      return escapeTextIn(style, node.text);
    case 'cdata':
      return `<![CDATA[${node.text}]]>`;
    case 'c':
      return `<!--${node.text}-->`;
    case 'pi':
      return pi(node.name, node.text);
    case 'e': {
      const attrs = attrsIn(style, node.attrs as RawAttr[]);
      if (node.children.length === 0) return `<${node.name}${attrs}/>`;
      let s = `<${node.name}${attrs}>`;
      for (const c of node.children) s += inline(c, style);
      return `${s}</${node.name}>`;
    }
  }
}
