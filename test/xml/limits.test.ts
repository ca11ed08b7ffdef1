import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import {
  MAX_XML_ATTRIBUTES_PER_ELEMENT, MAX_XML_CHILDREN_PER_ELEMENT, MAX_XML_NODES,
} from '../../src/xml/limits.js';
import { checkMarkupLimits, scanMarkup } from '../../src/xml/markup-scan.js';
import { parseMemtune } from '../../src/xml/memtune.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { domainXML } from '../helpers/domain-xml.js';
import { virErrorOf } from '../helpers/vir-error.js';

const attrs = (n: number): string => Array.from({ length: n }, (_, i) => ` a${i}='x'`).join('');
/** `n` empty elements spread over parents of at most the children limit. */
const elements = (n: number): string => {
  const per = MAX_XML_CHILDREN_PER_ELEMENT - 1;
  let out = '';
  for (let left = n; left > 0; left -= per + 1) out += `<g>${'<m/>'.repeat(Math.min(per, left - 1))}</g>`;
  return out;
};
/** Nodes of the document `domainXML('vm1', '<metadata>' + X + '</metadata>')` outside X. */
const BASE_NODES = (() => {
  let n = 0;
  scanMarkup(domainXML('vm1', '<metadata></metadata>'), (t) => {
    if (t.kind !== 'end') n += 1 + t.attrs;
  });
  return n;
})();

function refusal(xml: string): string {
  const e = virErrorOf(() => checkMarkupLimits(xml, ErrorDomain.DOMAIN));
  expect(e.code).toBe(ErrorCode.XML_ERROR);
  return e.message;
}

describe('limits on the work one document can cause', () => {
  it('takes exactly the node limit and refuses one node more', () => {
    const at = domainXML('vm1', `<metadata>${elements(MAX_XML_NODES - BASE_NODES)}</metadata>`);
    expect(() => checkMarkupLimits(at, ErrorDomain.DOMAIN)).not.toThrow();
    const over = domainXML('vm1', `<metadata>${elements(MAX_XML_NODES - BASE_NODES + 1)}</metadata>`);
    expect(refusal(over)).toBe(
      'XML error: document is too complex: more than 100000 nodes (elements, attributes, comments, processing instructions, references)',
    );
  });

  it('counts attributes, comments, processing instructions and references as nodes', () => {
    const n = MAX_XML_NODES - BASE_NODES + 1;
    const group = `<g>${'<!--c--><?p?>'.repeat(2000)}</g>`;
    expect(refusal(domainXML('vm1', `<metadata>${group.repeat(Math.ceil(n / 4001))}</metadata>`))).toMatch(/more than 100000 nodes/);
    expect(refusal(domainXML('vm1', `<description>${'&lt;'.repeat(n)}</description>`))).toMatch(/more than 100000 nodes/);
    expect(refusal(domainXML('vm1', `<metadata>${`<g${attrs(200)}/>`.repeat(Math.ceil(n / 201))}</metadata>`))).toMatch(/more than 100000 nodes/);
  });

  it('takes the attribute limit on one element and refuses one more, naming the element', () => {
    expect(() => checkMarkupLimits(domainXML('vm1', `<metadata${attrs(MAX_XML_ATTRIBUTES_PER_ELEMENT)}/>`), ErrorDomain.DOMAIN)).not.toThrow();
    expect(refusal(domainXML('vm1', `<metadata${attrs(MAX_XML_ATTRIBUTES_PER_ELEMENT + 1)}/>`))).toBe(
      "XML error: document is too complex: element 'metadata' has more than 256 attributes",
    );
  });

  it('takes the children limit on one element and refuses one more, naming the parent', () => {
    expect(() => checkMarkupLimits(domainXML('vm1', `<devices>${'<console/>'.repeat(MAX_XML_CHILDREN_PER_ELEMENT)}</devices>`), ErrorDomain.DOMAIN)).not.toThrow();
    expect(refusal(domainXML('vm1', `<devices>${'<console/>'.repeat(MAX_XML_CHILDREN_PER_ELEMENT + 1)}</devices>`))).toBe(
      "XML error: document is too complex: element 'devices' has more than 5000 child nodes",
    );
  });

  it('refuses the reported documents before libxml2 parses them, on every path', () => {
    const reported = [
      domainXML('vm1', `<metadata>${'<m/>'.repeat(40_000)}</metadata>`),
      domainXML('vm1', `<metadata>${'<m/>'.repeat(80_000)}</metadata>`),
      domainXML('vm1', `<devices>${'<console type="pty"/>'.repeat(300_000)}</devices>`),
      domainXML('vm1').replace("<domain type='test'", `<domain type='test'${attrs(40_000)}`),
    ];
    for (const xml of reported) {
      for (const validate of [true, false]) {
        const e = virErrorOf(() => parseDomainXML(xml, { validate }));
        expect(e.code).toBe(ErrorCode.XML_ERROR);
        expect(e.message).toMatch(/^XML error: document is too complex: /);
      }
    }
    const e = virErrorOf(() => parseMemtune(`<memtune${attrs(1000)}/>`));
    expect(e.message).toMatch(/element 'memtune' has more than 256 attributes/);
  });

  it('walks any text in one pass: no more tags than "<" characters, whatever the text', () => {
    for (const text of ['<a b="', '<<<<', '<a b=\'x\' c', '<!--', '<![CDATA[', '<?', '</', '<a/><', '< a>', '<a =">">']) {
      const xml = text.repeat(1000);
      let tags = 0;
      scanMarkup(xml, () => tags++);
      expect(tags).toBeLessThanOrEqual(xml.split('<').length - 1);
    }
  });
});
