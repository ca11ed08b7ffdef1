import { MAX_XML_ATTRIBUTES_PER_ELEMENT, MAX_XML_CHILDREN_PER_ELEMENT, MAX_XML_DEPTH, MAX_XML_NODES } from './limits.js';
import type { RawAttr } from './raw.js';
import { attrValue, normalizeNewlines, piNode, textNode, type RawElement } from './tokenizer.js';

/**
 * Reads a text in one pass when it is a plainly well-formed document, one that {@link preflight} and libxml2
 * would both accept, and returns its light tree: exactly what {@link tokenize} builds for it. Then a define needs
 * no libxml2 document at all (the schema parses the text only on a validation-cache miss): the text is parsed
 * once instead of twice.
 *
 * It reads only a strict subset of XML — ASCII names with at most one colon and declared prefixes, the five
 * predefined and numeric references, no DTD, no byte order mark, no control characters or lone surrogates, an XML
 * declaration of version 1.0 and UTF-8 at most, nesting within {@link MAX_XML_DEPTH} and every size limit of
 * limits.ts — and returns undefined for anything else, malformed or merely unusual: the caller then takes the
 * full path, libxml2 with its exact error messages. Saying no is always safe; reading a text that libxml2 or
 * preflight refuses would not be: test/xml/well-formed.test.ts checks that, and that the tree is the
 * tokenizer's, on generated and mutated documents. Linear in the text's length: every search starts where the
 * previous one ended or is remembered.
 */
export function readPlainDocument(xml: string): RawElement | undefined {
  // Each UTF-16 code unit is at most 3 bytes of UTF-8: only a long text needs counting.
  if (xml.length === 0 || xml.length > MAX_PLAIN_BYTES) return undefined;
  if (xml.length * 3 > MAX_PLAIN_BYTES && Buffer.byteLength(xml, 'utf8') > MAX_PLAIN_BYTES) return undefined;
  if (BAD_CHAR.test(xml) || DTD.test(xml) || (SURROGATE.test(xml) && LONE_SURROGATE.test(xml))) return undefined;
  return new Reader(xml).document();
}

/**
 * The longest text read here, in UTF-8 bytes: below preflight's 10 MiB (MAX_XML_BYTES), and below the 10,000,000 bytes
 * at which libxml2 (without XML_PARSE_HUGE) refuses a text node, attribute value, comment or processing instruction
 * (XML_MAX_TEXT_LENGTH), which no part of a shorter document can reach. A longer one takes the full path, for
 * libxml2's verdict. (Reading 9 MB here rather than in libxml2 saves about half of its parse time.)
 */
export const MAX_PLAIN_BYTES = 9_900_000;

/** Whether {@link readPlainDocument} reads the text. */
export function isPlainWellFormed(xml: string): boolean {
  return readPlainDocument(xml) !== undefined;
}

// C0 controls other than TAB, LF and CR (NUL among them), the non-characters U+FFFE and U+FFFF, lone surrogates.
const BAD_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// preflight's rule, even inside comments.
const DTD = /<!DOCTYPE|<!ENTITY/i;
const XML_DECL =
  /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.0"|'1\.0')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"(?:UTF|utf)-8"|'(?:UTF|utf)-8'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>/y;
const REFERENCE = /&(?:lt|gt|amp|apos|quot|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/y;
const RESERVED_NS = /w3\.org\/XML\/1998\/namespace|w3\.org\/2000\/xmlns/;
const MAX_NAME = 1000;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

/** XML's Char production, for a character reference. */
function isXmlChar(cp: number): boolean {
  return cp === 0x09 || cp === 0x0a || cp === 0x0d || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

class Reader {
  readonly #xml: string;
  #i = 0;
  /** The open elements. */
  readonly #open: RawElement[] = [];
  #root: RawElement | undefined;
  /** Child counts of the open elements; the first entry is the document's. */
  readonly #children: number[] = [0];
  /** Declared namespace prefixes with the depth that declared them. */
  readonly #prefixes: Array<[prefix: string, depth: number]> = [];
  #nodes = 0;
  /** Next `&`, `]]>` and `<` at or after the position they were last searched from (-1: none left). */
  #nextAmp = -2;
  #nextCdataEnd = -2;
  #nextLt = -2;

  constructor(xml: string) {
    this.#xml = xml;
  }

  document(): RawElement | undefined {
    return this.#document() ? this.#root : undefined;
  }

  #document(): boolean {
    const xml = this.#xml;
    // preflight counts every reference as a node, wherever it stands.
    for (let at = xml.indexOf('&'); at !== -1; at = xml.indexOf('&', at + 1)) this.#nodes++;
    if (xml.startsWith('<?xml')) {
      XML_DECL.lastIndex = 0;
      if (!XML_DECL.test(xml)) return false;
      this.#i = XML_DECL.lastIndex;
    }
    const n = xml.length;
    while (this.#i < n) {
      const c = xml.charCodeAt(this.#i);
      if (isSpace(c)) {
        this.#i++;
        continue;
      }
      if (c !== 0x3c /* < */) return false;
      const d = xml.charCodeAt(this.#i + 1);
      if (d === 0x21 /* ! */) {
        if (!this.#comment()) return false;
      } else if (d === 0x3f /* ? */) {
        if (!this.#pi()) return false;
      } else if (this.#root || !this.#element()) {
        return false;
      }
    }
    return this.#root !== undefined;
  }

  /** The innermost open element, or undefined outside the root. */
  #parent(): RawElement | undefined {
    return this.#open[this.#open.length - 1];
  }

  /** Counts a node that is a child of the innermost open element (or of the document). */
  #child(attrs: number): boolean {
    this.#nodes += 1 + attrs;
    const top = this.#children.length - 1;
    return this.#nodes <= MAX_XML_NODES && ++this.#children[top]! <= MAX_XML_CHILDREN_PER_ELEMENT;
  }

  /** The end of a name starting at `p` (ASCII, at most one colon, not at either end), or -1. */
  #nameEnd(p: number): number {
    const xml = this.#xml;
    if (!isNameStart(xml.charCodeAt(p))) return -1;
    let q = p + 1;
    let colon = false;
    for (;;) {
      const c = xml.charCodeAt(q);
      if (isNameChar(c)) q++;
      else if (c === 0x3a /* : */ && !colon && isNameStart(xml.charCodeAt(q + 1))) {
        colon = true;
        q += 2;
      } else break;
    }
    return q - p > MAX_NAME ? -1 : q;
  }

  #skipSpace(p: number): number {
    while (isSpace(this.#xml.charCodeAt(p))) p++;
    return p;
  }

  /** `<!--...-->` (anywhere) or `<![CDATA[...]]>` (inside an element). */
  #comment(): boolean {
    const xml = this.#xml;
    const i = this.#i;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) return false;
      const dashes = xml.indexOf('--', i + 4);
      if (dashes !== end || xml.charCodeAt(end - 1) === 0x2d) return false;
      this.#i = end + 3;
      this.#parent()?.children.push({ k: 'c', text: normalizeNewlines(xml.slice(i + 4, end)) });
      return this.#child(0);
    }
    const parent = this.#parent();
    if (!parent || !xml.startsWith('<![CDATA[', i)) return false;
    const end = xml.indexOf(']]>', i + 9);
    if (end === -1) return false;
    this.#i = end + 3;
    const text = normalizeNewlines(xml.slice(i + 9, end));
    // libxml2 joins adjacent CDATA sections into one node (as the tokenizer does).
    const last = parent.children[parent.children.length - 1];
    if (last?.k === 'cdata') last.text += text;
    else parent.children.push({ k: 'cdata', text });
    return this.#child(0);
  }

  /** A processing instruction other than the XML declaration: an ASCII target without a colon. */
  #pi(): boolean {
    const xml = this.#xml;
    const from = this.#i + 2;
    const to = this.#nameEnd(from);
    if (to === -1) return false;
    const target = xml.slice(from, to);
    if (target.includes(':') || target.toLowerCase() === 'xml') return false;
    const c = xml.charCodeAt(to);
    if (!isSpace(c) && !(c === 0x3f && xml.charCodeAt(to + 1) === 0x3e)) return false;
    const end = xml.indexOf('?>', to);
    if (end === -1) return false;
    this.#i = end + 2;
    this.#parent()?.children.push(piNode(xml.slice(from, end)));
    return this.#child(0);
  }

  /** True when every `&` in [from, to) starts a reference to a character XML allows. */
  #refsOk(from: number, to: number): boolean {
    const xml = this.#xml;
    if (this.#nextAmp !== -1 && this.#nextAmp < from) this.#nextAmp = xml.indexOf('&', from);
    while (this.#nextAmp !== -1 && this.#nextAmp < to) {
      REFERENCE.lastIndex = this.#nextAmp;
      const m = REFERENCE.exec(xml);
      if (!m || REFERENCE.lastIndex > to) return false;
      const dec = m[1];
      const hex = m[2];
      if (dec !== undefined || hex !== undefined) {
        const cp = dec !== undefined ? parseInt(dec, 10) : parseInt(hex!, 16);
        if (!isXmlChar(cp)) return false;
      }
      this.#nextAmp = xml.indexOf('&', REFERENCE.lastIndex);
    }
    return true;
  }

  /** Character data in [from, to): references checked, no `]]>`. */
  #textOk(from: number, to: number): boolean {
    const xml = this.#xml;
    if (this.#nextCdataEnd !== -1 && this.#nextCdataEnd < from) this.#nextCdataEnd = xml.indexOf(']]>', from);
    if (this.#nextCdataEnd !== -1 && this.#nextCdataEnd < to) return false;
    return this.#refsOk(from, to);
  }

  #declared(prefix: string): boolean {
    for (let k = this.#prefixes.length - 1; k >= 0; k--) if (this.#prefixes[k]![0] === prefix) return true;
    return false;
  }

  /** An element and everything in it, from its `<`. */
  #element(): boolean {
    if (!this.#startTag()) return false;
    const xml = this.#xml;
    const n = xml.length;
    while (this.#open.length > 0) {
      const lt = xml.indexOf('<', this.#i);
      if (lt === -1) return false;
      if (lt > this.#i) {
        if (!this.#textOk(this.#i, lt)) return false;
        this.#parent()!.children.push(textNode(xml.slice(this.#i, lt)));
      }
      this.#i = lt;
      const d = xml.charCodeAt(lt + 1);
      if (d === 0x21) {
        if (!this.#comment()) return false;
      } else if (d === 0x3f) {
        if (!this.#pi()) return false;
      } else if (d === 0x2f /* / */) {
        if (!this.#endTag()) return false;
      } else if (!this.#startTag()) {
        return false;
      }
      if (this.#i > n) return false;
    }
    return true;
  }

  #endTag(): boolean {
    const xml = this.#xml;
    const name = this.#parent()!.name;
    const from = this.#i + 2;
    if (!xml.startsWith(name, from)) return false;
    const p = this.#skipSpace(from + name.length);
    if (xml.charCodeAt(p) !== 0x3e /* > */) return false;
    this.#i = p + 1;
    const depth = this.#open.length;
    this.#open.pop();
    this.#children.pop();
    this.#popPrefixes(depth);
    return true;
  }

  #popPrefixes(depth: number): void {
    while (this.#prefixes.length > 0 && this.#prefixes[this.#prefixes.length - 1]![1] === depth) this.#prefixes.pop();
  }

  /** A start or empty-element tag, from its `<`. */
  #startTag(): boolean {
    const xml = this.#xml;
    const from = this.#i + 1;
    const nameEnd = this.#nameEnd(from);
    if (nameEnd === -1) return false;
    const name = xml.slice(from, nameEnd);
    const depth = this.#open.length + 1;
    if (depth > MAX_XML_DEPTH) return false;
    const attrs: RawAttr[] = [];
    let p = nameEnd;
    let empty: boolean;
    for (;;) {
      const q = this.#skipSpace(p);
      const c = xml.charCodeAt(q);
      if (c === 0x3e /* > */) {
        empty = false;
        p = q + 1;
        break;
      }
      if (c === 0x2f /* / */ && xml.charCodeAt(q + 1) === 0x3e) {
        empty = true;
        p = q + 2;
        break;
      }
      if (q === p) return false; // an attribute must follow white space
      const end = this.#nameEnd(q);
      if (end === -1) return false;
      const attr = xml.slice(q, end);
      let v = this.#skipSpace(end);
      if (xml.charCodeAt(v) !== 0x3d /* = */) return false;
      v = this.#skipSpace(v + 1);
      const quote = xml[v];
      if (quote !== '"' && quote !== "'") return false;
      const close = xml.indexOf(quote, v + 1);
      if (close === -1) return false;
      if (this.#nextLt !== -1 && this.#nextLt <= v) this.#nextLt = xml.indexOf('<', v + 1);
      if (this.#nextLt !== -1 && this.#nextLt < close) return false;
      if (!this.#refsOk(v + 1, close)) return false;
      if (attr.startsWith('xmlns:')) {
        const prefix = attr.slice(6);
        if (prefix === 'xml' || prefix === 'xmlns' || close === v + 1) return false;
        if (RESERVED_NS.test(xml.slice(v + 1, close))) return false;
        this.#prefixes.push([prefix, depth]);
      } else if (attr === 'xmlns') {
        if (RESERVED_NS.test(xml.slice(v + 1, close))) return false;
      }
      attrs.push([attr, attrValue(xml.slice(v + 1, close))]);
      if (attrs.length > MAX_XML_ATTRIBUTES_PER_ELEMENT) return false;
      p = close + 1;
    }
    if (!this.#child(attrs.length)) return false;
    if (!this.#namesOk(name, attrs)) return false;
    this.#i = p;
    const el: RawElement = { k: 'e', name, attrs, children: [] };
    const parent = this.#parent();
    if (parent) parent.children.push(el);
    else this.#root = el;
    if (empty) {
      this.#popPrefixes(depth);
    } else {
      this.#open.push(el);
      this.#children.push(0);
    }
    return true;
  }

  /**
   * No attribute twice (by qualified name, or by local name among prefixed ones: two prefixes may name one
   * namespace), and every prefix declared.
   */
  #namesOk(element: string, attrs: RawAttr[]): boolean {
    const colon = element.indexOf(':');
    if (colon !== -1) {
      const prefix = element.slice(0, colon);
      if (prefix === 'xml' || prefix === 'xmlns' || !this.#declared(prefix)) return false;
    }
    for (let a = 0; a < attrs.length; a++) {
      const name = attrs[a]![0];
      const c = name.indexOf(':');
      if (c !== -1 && name.slice(0, c) !== 'xmlns') {
        const prefix = name.slice(0, c);
        if (prefix !== 'xml' && !this.#declared(prefix)) return false;
      }
      for (let b = 0; b < a; b++) {
        const other = attrs[b]![0];
        if (other === name) return false;
        const oc = other.indexOf(':');
        if (c !== -1 && oc !== -1 && name.slice(c) === other.slice(oc)) return false;
      }
    }
    return true;
  }
}
