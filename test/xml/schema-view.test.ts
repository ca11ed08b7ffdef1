import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import libxml, { type Element } from 'libxmljs2';
import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain, VirError } from '../../src/errors.js';
import { parseDocument } from '../../src/xml/document.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { SCHEMA_VIEW_PLACES, domainSchemaView } from '../../src/xml/schema-view.js';
import { tokenize } from '../../src/xml/tokenizer.js';
import { SCHEMA_DIR, validateAgainst } from '../../src/xml/validate.js';
import { clearValidationCache } from '../../src/xml/validation-cache.js';
import { domainXML } from '../helpers/domain-xml.js';
import { virErrorOf } from '../helpers/vir-error.js';
import { apply, edit, seeds, serialize } from './mutants.js';

/** True when the text validates against schemas/domain.rng (no cache, no view: libxml2 on the whole text). */
function schemaAccepts(xml: string): boolean {
  try {
    validateAgainst(parseDocument(xml, 'x', ErrorDomain.DOMAIN).doc, 'domain');
    return true;
  } catch (e) {
    if (e instanceof VirError) return false;
    throw e;
  }
}

/** Elements RelaxNG still sees under `<devices>` of a view: the quadratic cost is in their number. */
function devicesChildren(xml: string): string[] {
  const devices = tokenize(xml).children.find((c) => c.k === 'e' && c.name === 'devices');
  return devices && devices.k === 'e' ? devices.children.flatMap((c) => (c.k === 'e' ? [c.name] : [])) : [];
}

describe('the schema view of a domain document', () => {
  it('keeps every name schemas/domain.rng excepts from "any element" (and checks attributes the same way)', () => {
    const rng = libxml.parseXml(readFileSync(`${SCHEMA_DIR}domain.rng`, 'utf8'));
    const ns = { r: 'http://relaxng.org/ns/structure/1.0' };
    const names = (xpath: string): string[] => (rng.find(xpath, ns) as Element[]).map((n) => n.text()).sort();
    for (const [define, place] of Object.entries(SCHEMA_VIEW_PLACES)) {
      const own = `//r:define[@name='${define}']/r:element`;
      expect(names(`${own}//r:element[not(@name)]/r:anyName/r:except/r:name`)).toEqual([...place.keep].sort());
      // An element whose attributes the view thins takes any attribute except those it keeps.
      if (place.attrs) {
        expect(rng.find(`${own}/r:zeroOrMore/r:attribute/r:anyName`, ns).length).toBe(1);
        expect(names(`${own}/r:zeroOrMore/r:attribute/r:anyName/r:except/r:name`)).toEqual([...place.attrs].sort());
      }
    }
  });

  it('leaves out what the schema lets through unchecked, keeping every line where it was', () => {
    const consoles = "\n<console type='pty'><target port='0'/></console>".repeat(4000);
    const xml = domainXML('vm1', `<devices>${consoles}\n<memballoon model='virtio' autodeflate='on'/></devices><metadata>\n<a/></metadata>`);
    const view = domainSchemaView(xml);
    expect(devicesChildren(view)).toEqual(['memballoon']);
    expect(view).not.toContain('metadata');
    expect(view).not.toContain('autodeflate');
    expect(view.split('\n').length).toBe(xml.split('\n').length);
    expect(view).toContain("model='virtio'");
  });

  it('keeps namespace declarations and anything named like a checked element', () => {
    const xml = domainXML('vm1', "<devices><memballoon xmlns='urn:x' model='none' foo='1'/></devices><os2/>");
    const view = domainSchemaView(xml);
    expect(view).toContain("xmlns='urn:x'");
    expect(view).not.toContain('foo=');
    expect(view).not.toContain('os2');
  });

  it('keeps the verdict when an element of <memtune> declares a namespace libxml2 cannot read alone', () => {
    const xml = domainXML('vm1', '<memtune><hard_limit xmlns="&lt;">1</hard_limit><bogus/></memtune>');
    clearValidationCache();
    expect(virErrorOf(() => parseDomainXML(xml)).code).toBe(ErrorCode.XML_INVALID_SCHEMA);
  });

  it('reports a fault at its line in the original text', () => {
    const xml = domainXML('vm1', `<devices>${'\n<console/>'.repeat(50)}\n</devices>\n<memtune><bogus/></memtune>`);
    clearValidationCache();
    const e = virErrorOf(() => parseDomainXML(xml));
    expect(e.message).toMatch(/line 53: /);
  });

  it('keeps the lines of a removed element whatever its line ends (CR LF, CR, LF), short or long', () => {
    for (const n of [10, 2000]) {
      const xml = domainXML('vm1', `<metadata>${'<a/>\r\n<b>x\ry</b>\n'.repeat(n)}</metadata>\n<memtune><bogus/></memtune>`);
      // The line libxml2 gives <memtune> in the original text (it counts LFs: a lone CR starts no line for it).
      const line = xml.slice(0, xml.indexOf('<memtune>')).split('\n').length;
      clearValidationCache();
      expect(virErrorOf(() => parseDomainXML(xml)).message).toMatch(new RegExp(`line ${line}: `));
    }
  });

  it('never changes the verdict (mutants of valid documents, validated whole and as the view)', () => {
    const valid = seeds();
    let rejected = 0;
    let shrunk = 0;
    fc.assert(
      fc.property(
        fc.nat(valid.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(3).map((n) => n > 0), edit), { minLength: 1, maxLength: 3 }),
        (seed, edits) => {
          const tree = tokenize(valid[seed]!);
          for (const [target, leaf, e] of edits) apply(tree, target, leaf, e);
          const xml = serialize(tree);
          try {
            parseDocument(xml, 'x', ErrorDomain.DOMAIN);
          } catch {
            return; // not well-formed: no view is made
          }
          const view = domainSchemaView(xml);
          if (view.length < xml.length) shrunk++;
          const whole = schemaAccepts(xml);
          expect(schemaAccepts(view)).toBe(whole);
          if (!whole) rejected++;
        },
      ),
      { numRuns: 400 },
    );
    expect(shrunk).toBeGreaterThan(40);
    expect(rejected).toBeGreaterThan(50);
  });
});
