import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorDomain } from '../../src/errors.js';
import { parseDocument } from '../../src/xml/document.js';
import type { RawNode } from '../../src/xml/raw.js';
import { tokenize, writtenTextOf } from '../../src/xml/tokenizer.js';
import { MAX_PLAIN_BYTES, isPlainWellFormed, readPlainDocument } from '../../src/xml/well-formed.js';
import { seeds } from './mutants.js';

/**
 * readPlainDocument lets a define skip libxml2's parse. It may say no to anything (the full path then runs), but
 * a yes for a text that preflight or libxml2 refuses would let a malformed document through: these tests compare
 * it with the full path on documents broken character by character.
 */

const REALISTIC = readFileSync(new URL('../../bench/fixtures/realistic-domain.xml', import.meta.url), 'utf8');

function fullPathAccepts(xml: string): boolean {
  try {
    parseDocument(xml, 'domain_definition', ErrorDomain.DOMAIN);
    return true;
  } catch {
    return false;
  }
}

/** The tree with each text node's written form (a CR kept) beside it, for comparing two readings. */
function withWritten(n: RawNode): unknown {
  if (n.k === 't') return { ...n, written: writtenTextOf(n) };
  if (n.k !== 'e') return n;
  return { ...n, children: n.children.map(withWritten) };
}

/** When the one-pass reader reads a text, the full path must accept it and the tokenizer build the same tree. */
function checkAgainstFullPath(xml: string): boolean {
  const tree = readPlainDocument(xml);
  if (!tree) return false;
  expect(fullPathAccepts(xml), JSON.stringify(xml)).toBe(true);
  expect(withWritten(tree)).toEqual(withWritten(tokenize(xml)));
  return true;
}

// Characters that make and break markup, and a few that are unusual in other ways.
const PIECES = [
  '<', '>', '&', ';', "'", '"', '=', '/', '!', '?', '-', '--', '[', ']', ']]>', ':', 'x', ' ', '\t', '\r', '\n', '#',
  '&#', '&#x', '&amp;', '&lt;', '&foo;', '&#0;', '&#65;', '&#xD800;', '&#x10FFFF;', '&#x110000;', '<!--', '-->',
  '<![CDATA[', '<?', '?>', '<?xml ', '<!DOCTYPE x>', '</', '/>', 'xmlns:q="u" ', 'q:', 'xmlns:p=""', ' a="1"',
  '\u0001', '\u0085', '\u00a0', '\ud800', '\u{1F600}', '\ufeff', '\ufffe', '\u0000', 'é', '1', '.',
];

/** A text-level edit: replace the characters in [at, at + len) with a piece. */
const textEdit = fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...PIECES));

function applyEdits(xml: string, edits: Array<[number, number, string]>): string {
  let out = xml;
  for (const [at, len, piece] of edits) {
    const p = at % (out.length + 1);
    out = out.slice(0, p) + piece + out.slice(p + len);
  }
  return out;
}

describe('isPlainWellFormed', () => {
  it('says yes for the documents defines usually see', () => {
    for (const d of [...seeds(), REALISTIC]) expect(checkAgainstFullPath(d)).toBe(true);
    expect(isPlainWellFormed("<?xml version='1.0' encoding='UTF-8'?>\n<domain type='kvm'><name>a</name></domain>\n")).toBe(true);
    expect(isPlainWellFormed('<a xmlns:p="urn:p"><p:b p:c="&amp;&#233;&#x1F600;"/><!-- c --><?pi x?><![CDATA[<]]></a>')).toBe(true);
  });

  it('says no for what libxml2 or the pre-checks refuse, and for what it does not read itself', () => {
    const no = [
      '', ' ', 'x', '<a>', '<a></b>', '<a/><b/>', '<a b="1" b="2"/>', '<a b="1"c="2"/>', '<a b="<"/>', '<a>&foo;</a>',
      '<a>&#0;</a>', '<a>&#xD800;</a>', '<a>]]></a>', '<a><!-- -- --></a>', '<a><!-- x---></a>', '<a><?xml x?></a>',
      ' <?xml version="1.0"?><a/>', '<?xml version="1.1"?><a/>', "<?xml version='1.0' encoding='UTF-7'?><a/>",
      '<!DOCTYPE a><a/>', '<a><!-- <!ENTITY --></a>', '\ufeff<a/>', '<a>\u0001</a>', '<a>\ud800</a>', '<a>\u0000</a>',
      '<q:a/>', '<a q:b="1"/>', '<a xmlns:p=""/>', '<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>', '<a:/>', '<1a/>',
      '<a>x</a>y', 'y<a/>', '<a><![CDATA[x]]</a>', `<a>${'<b>'.repeat(64)}${'</b>'.repeat(64)}</a>`,
      `<a>${'<b/>'.repeat(5001)}</a>`, `<a ${Array.from({ length: 257 }, (_, i) => `a${i}="1"`).join(' ')}/>`,
    ];
    for (const d of no) expect(isPlainWellFormed(d), JSON.stringify(d.slice(0, 80))).toBe(false);
  });

  it('reads up to MAX_PLAIN_BYTES of UTF-8, below the text node libxml2 first refuses; beyond, libxml2 has its say', () => {
    // `n` bytes in all, a text of 'x' or of 'é' (2 bytes of UTF-8 each) in one element.
    const doc = (n: number, unit = 'x'): string => `<a>${unit.repeat((n - 7) / unit.length / Buffer.byteLength(unit))}</a>`;
    expect(isPlainWellFormed(doc(MAX_PLAIN_BYTES))).toBe(true);
    expect(isPlainWellFormed(doc(MAX_PLAIN_BYTES + 1))).toBe(false);
    const twoByte = doc(MAX_PLAIN_BYTES + 1, 'é');
    expect(twoByte.length).toBeLessThan(MAX_PLAIN_BYTES);
    expect(isPlainWellFormed(twoByte)).toBe(false);
    // libxml2 refuses a text node of 9,999,998 bytes (XML_MAX_TEXT_LENGTH) in a document preflight still takes:
    // the one-pass reader must leave such a text to it.
    const huge = doc(9_999_998 + 7);
    expect(fullPathAccepts(huge)).toBe(false);
    expect(isPlainWellFormed(huge)).toBe(false);
  });

  it('reads only what the full path accepts, into the tokenizer tree: documents broken character by character', () => {
    const docs = [...seeds(), REALISTIC];
    let yes = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.array(textEdit, { minLength: 1, maxLength: 3 }), (seed, edits) => {
        const xml = applyEdits(docs[seed]!, edits);
        const full = fullPathAccepts(xml);
        if (!full) refused++;
        if (checkAgainstFullPath(xml)) yes++;
      }),
      { numRuns: 4000 },
    );
    // Only meaningful if both sides were reached often.
    expect(yes).toBeGreaterThan(250);
    expect(refused).toBeGreaterThan(1000);
  });

  it('reads only what the full path accepts, into the tokenizer tree: small documents from markup pieces', () => {
    let yes = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES, '<a>', '</a>', '<b/>', '<p:c xmlns:p="u">', '</p:c>', 'text'), { maxLength: 12 }), (parts) => {
        const xml = `<r>${parts.join('')}</r>`;
        if (checkAgainstFullPath(xml)) yes++;
      }),
      { numRuns: 4000 },
    );
    expect(yes).toBeGreaterThan(200);
  });
});
