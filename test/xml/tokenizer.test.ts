import fc from 'fast-check';
import libxml, { type Element, type Node } from 'libxmljs2';
import { describe, expect, it } from 'vitest';
import type { RawNode } from '../../src/xml/raw.js';
import { tokenize } from '../../src/xml/tokenizer.js';
import { xmlText } from './arbitraries.js';

/** libxml2's view of a node, in the tokenizer's shape (the reference the tokenizer must match). */
function fromLibxml(node: Node): RawNode | undefined {
  const t = node.type() as string;
  const text = () => (node as unknown as { text(): string }).text();
  if (t === 'text') return { k: 't', text: text() };
  if (t === 'cdata') return { k: 'cdata', text: text() };
  if (t === 'comment') return { k: 'c', text: text() };
  if (t === 'pi') return { k: 'pi', name: (node as unknown as { name(): string }).name(), text: text() };
  if (t !== 'element') return undefined;
  const el = node as Element;
  const q = (local: string, prefix?: string | null) => (prefix ? `${prefix}:${local}` : local);
  const attrs: Array<[string, string]> = [];
  for (const ns of el.namespaces(true)) attrs.push([ns.prefix() ? `xmlns:${ns.prefix()}` : 'xmlns', ns.href()]);
  for (const a of el.attrs()) attrs.push([q(a.name(), a.namespace()?.prefix()), a.value()]);
  const children: RawNode[] = [];
  for (const c of el.childNodes()) {
    const r = fromLibxml(c);
    if (r) children.push(r);
  }
  return { k: 'e', name: q(el.name(), el.namespace()?.prefix()), attrs, children };
}

/** Attribute order differs (libxml2 lists namespace declarations first); compare them sorted. */
function normalize(n: RawNode): RawNode {
  if (n.k !== 'e') return n;
  return { ...n, attrs: [...n.attrs].sort((a, b) => a[0].localeCompare(b[0])), children: n.children.map(normalize) };
}

const escAttr = (s: string) => s.replace(/[&<"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '"': '&quot;' })[c]!);
const escText = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
const name = fc.constantFrom('a', 'b-c', 'd.e', 'x:f', 'g_h');
const leaf = fc.oneof(
  xmlText(0, 12).map(escText),
  xmlText(0, 8).filter((s) => !s.includes(']]>')).map((s) => `<![CDATA[${s}]]>`),
  xmlText(0, 8).filter((s) => !s.includes('--') && !s.endsWith('-')).map((s) => `<!--${s}-->`),
  fc.constantFrom('<?pi data here?>', '<?pi?>', '&#13;', '&#x1F600;', '&apos;&quot;', ' \r\n '),
);
const attrList = fc.uniqueArray(fc.tuple(fc.constantFrom('p', 'q', 'x:r', 's'), xmlText(0, 8)), { selector: (a) => a[0], maxLength: 3 });

function element(kids: fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  return fc
    .tuple(name, attrList, kids, fc.constantFrom(' ', '\n', '\t', ''), fc.constantFrom('"', "'"))
    .map(([n, attrs, children, ws, quote]) => {
      const a = attrs.map(([k, v]) => ` ${k}${ws}=${ws}${quote}${escAttr(v).replace(/'/g, '&apos;')}${quote}`).join('');
      return children.length === 0 && ws === '' ? `<${n}${a}/>` : `<${n}${a}${ws}>${children.join('')}</${n}>`;
    });
}

const level0 = fc.oneof(leaf, element(fc.constant([])));
const level1 = fc.oneof(leaf, element(fc.array(level0, { maxLength: 4 })));
const level2 = fc.oneof(leaf, element(fc.array(level1, { maxLength: 4 })));

describe('tokenize', () => {
  it('reads well-formed documents exactly as libxml2 does', () => {
    fc.assert(
      fc.property(fc.array(level2, { maxLength: 5 }), fc.boolean(), (kids, decl) => {
        const xml = `${decl ? '<?xml version="1.0"?>\n' : ''}<root xmlns:x='urn:x' a='1'>${kids.join('')}</root>`;
        const doc = libxml.parseXml(xml);
        expect(normalize(tokenize(xml))).toEqual(normalize(fromLibxml(doc.root()!)!));
      }),
      { numRuns: 400 },
    );
  });

  it('skips a byte order mark and what surrounds the root', () => {
    const root = tokenize('\ufeff<?xml version="1.0"?><!-- before --><r>x</r><!-- after -->');
    expect(root).toEqual({ k: 'e', name: 'r', attrs: [], children: [{ k: 't', text: 'x' }] });
  });
});
