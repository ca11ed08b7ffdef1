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

/** Escapes element text as libvirt does (plus CR). */
export function escapeText(s: string): string {
  return HAS_TEXT_SPECIAL.test(s) ? s.replace(TEXT_SPECIAL, (c) => TEXT_ESCAPES[c]!) : s;
}

/** Escapes an attribute value for single quotes. */
export function escapeAttr(s: string): string {
  return HAS_ATTR_SPECIAL.test(s) ? s.replace(ATTR_SPECIAL, (c) => TEXT_ESCAPES[c]!) : s;
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

  /** A node kept verbatim, re-indented at `depth`. */
  raw(depth: number, node: RawNode): void {
    switch (node.k) {
      case 'e':
        if (node.children.length === 0) this.emptyElement(depth, node.name, formatAttrs(node.attrs));
        else if (hasTextContent(node.children)) this.out += `${indent(depth)}${inline(node)}\n`;
        else {
          this.open(depth, node.name, formatAttrs(node.attrs));
          for (const c of node.children) this.raw(depth + 1, c);
          this.close(depth, node.name);
        }
        return;
      case 'c':
        this.out += `${indent(depth)}<!--${node.text}-->\n`;
        return;
      case 'pi':
        this.out += `${indent(depth)}${pi(node.name, node.text)}\n`;
        return;
      default:
        // Stray text outside any text-bearing element; callers drop it before it gets here.
        this.out += `${indent(depth)}${inline(node)}\n`;
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
function inline(node: RawNode): string {
  switch (node.k) {
    case 't':
      return escapeText(node.text);
    case 'cdata':
      return `<![CDATA[${node.text}]]>`;
    case 'c':
      return `<!--${node.text}-->`;
    case 'pi':
      return pi(node.name, node.text);
    case 'e': {
      const attrs = formatAttrs(node.attrs as RawAttr[]);
      if (node.children.length === 0) return `<${node.name}${attrs}/>`;
      let s = `<${node.name}${attrs}>`;
      for (const c of node.children) s += inline(c);
      return `${s}</${node.name}>`;
    }
  }
}
