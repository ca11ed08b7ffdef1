import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { MAX_XML_BYTES, MAX_XML_DEPTH } from '../../src/xml/limits.js';
import { parseMemtune } from '../../src/xml/memtune.js';
import { parseDomainXML, validateDomainXML } from '../../src/xml/parse-domain.js';
import { domainXML } from '../helpers/domain-xml.js';
import { virErrorOf } from '../helpers/vir-error.js';

/** Every hostile input must end in a VirError of one of these codes, never a crash or leaked data. */
const XML_CODES = [ErrorCode.XML_ERROR, ErrorCode.XML_DETAIL];

function rejects(input: string | Uint8Array, pattern?: RegExp): void {
  for (const parse of [
    () => parseDomainXML(input),
    () => parseDomainXML(input, { validate: false }),
    () => validateDomainXML(input),
  ]) {
    const e = virErrorOf(parse);
    expect(XML_CODES).toContain(e.code);
    if (pattern) expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain('root:x:0:0');
  }
}

describe('hostile XML', () => {
  it('refuses external entities (no local file is read)', () => {
    rejects(
      `<?xml version="1.0"?><!DOCTYPE domain [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
        domainXML('vm1', '<description>&xxe;</description>'),
      /DOCTYPE/,
    );
  });

  it('refuses an entity-expansion bomb', () => {
    let dtd = '<!DOCTYPE domain [<!ENTITY a0 "lol">';
    for (let i = 1; i < 10; i++) dtd += `<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`;
    rejects(`${dtd}]>${domainXML('vm1', '<description>&a9;</description>')}`, /DOCTYPE/);
  });

  it('refuses an external DTD and parameter entities', () => {
    rejects(`<!DOCTYPE domain SYSTEM "http://127.0.0.1:9/x.dtd">${domainXML('vm1')}`);
    rejects(`<!DOCTYPE domain [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>${domainXML('vm1')}`);
  });

  it('treats an undeclared entity as malformed', () => {
    rejects(domainXML('vm1', '<description>&undeclared;</description>'));
  });

  it('refuses a document above the size limit without parsing it', () => {
    const pad = 'x'.repeat(MAX_XML_BYTES);
    rejects(domainXML('vm1', `<description>${pad}</description>`), /larger than/);
    rejects(new TextEncoder().encode(domainXML('vm1', `<description>${pad}</description>`)), /larger than/);
    // Fewer characters than the limit, more UTF-8 bytes: the limit is in bytes.
    const wide = '\u00e9'.repeat(MAX_XML_BYTES / 2 + 1);
    expect(wide.length).toBeLessThan(MAX_XML_BYTES);
    rejects(domainXML('vm1', `<description>${wide}</description>`), /larger than 10485760 bytes/);
  });

  it('refuses deep nesting, whether libxml2 or virtune stops it', () => {
    const deep = (n: number) => `<metadata>${'<a>'.repeat(n)}${'</a>'.repeat(n)}</metadata>`;
    rejects(domainXML('vm1', deep(MAX_XML_DEPTH + 5)), /deeper than/);
    rejects(domainXML('vm1', deep(100_000)));
    expect(parseDomainXML(domainXML('vm1', deep(MAX_XML_DEPTH - 5))).name).toBe('vm1');
  });

  it('refuses invalid UTF-8, NUL characters and lone surrogates', () => {
    const bytes = new TextEncoder().encode(domainXML('vm1', '<description>xx</description>'));
    const at = bytes.indexOf(0x78);
    bytes[at] = 0xc3;
    bytes[at + 1] = 0x28;
    rejects(bytes, /UTF-8/);
    rejects(domainXML('vm1', '<description>a\u0000b</description>'), /NUL/);
    rejects(domainXML('vm1', '<description>a\ud800b</description>'), /surrogate/);
    const encode = (xml: string) => new TextEncoder().encode(xml);
    rejects(encode(domainXML('vm1', '<description>a\u0000b</description>')), /NUL/);
    // An overlong encoding of '<' and a truncated sequence are not UTF-8.
    for (const bad of [[0xc0, 0xbc], [0xe2, 0x82]]) {
      const b = encode(domainXML('vm1', '<description>xx</description>'));
      const at = b.indexOf(0x78);
      b.set(bad, at);
      rejects(b, /UTF-8/);
    }
  });

  it('ignores encoding declarations: nothing is decoded differently from the checked text', () => {
    // UTF-7 would turn +ADw- into '<' and smuggle a DOCTYPE past the pre-checks; the text is read as UTF-8 only.
    const smuggled =
      '<?xml version="1.0" encoding="UTF-7"?>+ADwAIQ-DOCTYPE domain +AFsAPAAh-ENTITY x SYSTEM +ACI-file:///etc/passwd+ACIAPg-+AF0APg-' +
      domainXML('vm1', '<description>+ACY-x+ADs-</description>');
    rejects(smuggled);
    // A declared single-byte encoding must not make the schema see other characters than the model:
    // read as ISO-8859-1, the UTF-8 bytes of '\u20ac' would contain a C1 control character that the schema refuses.
    for (const enc of ['ISO-8859-1', 'UTF-7', 'UTF-16', 'EBCDIC-US']) {
      const xml = `<?xml version="1.0" encoding="${enc}"?>${domainXML('n\u20ac', '<title>caf\u00e9 \u20ac</title>')}`;
      const def = parseDomainXML(xml);
      expect([def.name, def.title]).toEqual(['n\u20ac', 'caf\u00e9 \u20ac']);
      expect(parseDomainXML(new TextEncoder().encode(xml)).name).toBe('n\u20ac');
    }
  });

  it('accepts valid UTF-8 bytes', () => {
    const def = parseDomainXML(new TextEncoder().encode(domainXML('vm1', '<title>caf\u00e9 \u{1f600}</title>')));
    expect(def.title).toBe('caf\u00e9 \u{1f600}');
  });

  it('refuses control characters XML does not allow', () => {
    rejects(domainXML('vm1', '<title>a\u0001b</title>'));
  });

  it('does not process XInclude', () => {
    const def = parseDomainXML(
      domainXML('vm1', "<metadata><xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='/etc/passwd' parse='text'/></metadata>"),
    );
    expect(JSON.stringify(def, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('root:x:0:0');
  });

  it('refuses a non-string argument with INVALID_ARG', () => {
    expect(virErrorOf(() => parseDomainXML(42 as unknown as string)).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => parseMemtune({} as unknown as string)).code).toBe(ErrorCode.INVALID_ARG);
  });
});
