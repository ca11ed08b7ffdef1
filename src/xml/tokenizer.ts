import { normalizeLineEnds, replaceCodeUnits } from './char-map.js';
import type { RawAttr, RawNode } from './raw.js';

/** An element of the light tree the tokenizer builds. */
export type RawElement = Extract<RawNode, { k: 'e' }>;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
const REF = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g;

function decodeRefs(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(REF, (_m, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return PREDEFINED[ref] ?? '';
  });
}

/**
 * The text of text nodes whose line ends XML normalised (a CR read as LF), as written, references decoded.
 * Kept beside the tree, not in it: the tree is plain data that is stored and compared.
 */
const writtenText = new WeakMap<RawNode, string>();

/** A text node's text as the document wrote it (a CR stays a CR), when that differs from its XML reading. */
export function writtenTextOf(node: RawNode): string | undefined {
  return writtenText.get(node);
}

/** A text node of raw character data (what lies between two tags). */
export function textNode(raw: string): RawNode {
  const node: RawNode = { k: 't', text: decodeRefs(normalizeNewlines(raw)) };
  if (raw.includes('\r')) writtenText.set(node, decodeRefs(raw));
  return node;
}

/** A processing instruction from its body (what lies between `<?` and `?>`). */
export function piNode(body: string): Extract<RawNode, { k: 'pi' }> {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(body)!;
  return { k: 'pi', name: m[1]!, text: normalizeNewlines(m[2]!) };
}

/** The text of a comment or CDATA section, line ends normalised. */
export const normalizeNewlines = normalizeLineEnds;
const ATTR_WHITE_SPACE = /[\t\n]/g;
const ATTR_SPACES: Record<string, string> = { '\t': ' ', '\n': ' ' };

/** Attribute-value normalisation: literal white space becomes a space; references are decoded after. */
export function attrValue(raw: string): string {
  const lf = normalizeNewlines(raw);
  return decodeRefs(lf.includes('\t') || lf.includes('\n') ? replaceCodeUnits(lf, ATTR_WHITE_SPACE, ATTR_SPACES) : lf);
}

const NAME_END = /[\s/>]/g;
const ATTR = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_CLOSE = /\s*(\/?)>/y;

/**
 * Builds a light tree of a document that libxml2 has already accepted as well-formed and DTD-free. It reads
 * what such a document can contain (declaration, elements, attributes, text with the five predefined and
 * numeric references, CDATA, comments, processing instructions) and checks nothing else: libxml2 has.
 * Far cheaper than walking libxmljs2's node wrappers.
 *
 * @returns the root element.
 */
export function tokenize(xml: string): RawElement {
  const stack: RawElement[] = [];
  const top: RawElement = { k: 'e', name: '#document', attrs: [], children: [] };
  let cur = top;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt === -1 || lt > i) {
      const end = lt === -1 ? n : lt;
      if (cur !== top) cur.children.push(textNode(xml.slice(i, end)));
      i = end;
      continue;
    }
    const c = xml.charCodeAt(lt + 1);
    if (c === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (cur !== top) cur.children.push({ k: 'c', text: normalizeNewlines(xml.slice(lt + 4, end)) });
        i = end + 3;
      } else {
        // <![CDATA[ (no DTD can reach here)
        const end = xml.indexOf(']]>', lt + 9);
        const text = normalizeNewlines(xml.slice(lt + 9, end));
        // libxml2 joins adjacent CDATA sections into one node.
        const last = cur.children[cur.children.length - 1];
        if (last?.k === 'cdata') last.text += text;
        else cur.children.push({ k: 'cdata', text });
        i = end + 3;
      }
    } else if (c === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      const pi = piNode(xml.slice(lt + 2, end));
      if (cur !== top && pi.name !== 'xml') cur.children.push(pi);
      i = end + 2;
    } else if (c === 0x2f /* / */) {
      i = xml.indexOf('>', lt + 2) + 1;
      cur = stack.pop()!;
    } else {
      NAME_END.lastIndex = lt + 1;
      NAME_END.exec(xml);
      const name = xml.slice(lt + 1, NAME_END.lastIndex - 1);
      let p = NAME_END.lastIndex - 1;
      const attrs: RawAttr[] = [];
      for (;;) {
        ATTR.lastIndex = p;
        const m = ATTR.exec(xml);
        if (!m) break;
        attrs.push([m[1]!, attrValue(m[2] ?? m[3]!)]);
        p = ATTR.lastIndex;
      }
      TAG_CLOSE.lastIndex = p;
      const close = TAG_CLOSE.exec(xml)!;
      i = TAG_CLOSE.lastIndex;
      const el: RawElement = { k: 'e', name, attrs, children: [] };
      cur.children.push(el);
      if (close[1] !== '/') {
        stack.push(cur);
        cur = el;
      }
    }
  }
  return top.children.find((ch): ch is RawElement => ch.k === 'e')!;
}
