import { beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { clearValidationCache } from '../../src/xml/validation-cache.js';
import { virErrorOf } from '../helpers/vir-error.js';

function doc(name: string, uuid: string, memory: string, extra = ''): string {
  return `<domain type='kvm'>\n<name>${name}</name>\n<uuid>${uuid}</uuid>\n<description>d ${name}\nline 2</description>\n` +
    `<memory>${memory}</memory>\n<os><type>hvm</type></os>\n${extra}</domain>`;
}

const UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';

describe('validation cache', () => {
  beforeEach(() => clearValidationCache());

  it('gives the same answers as validating every document', () => {
    expect(parseDomainXML(doc('a', UUID, '1024')).name).toBe('a');
    // Same shape, other names, sizes and descriptions: valid.
    expect(parseDomainXML(doc('b', UUID.replace('66', '77'), '2048')).memory).toBe(2048n);
    // The parser accepts this uuid form, the schema does not: the cache must not hide that.
    const odd = virErrorOf(() => parseDomainXML(doc('c', '6695eb01f6a4-8304-79aa97f2502e193f', '1024')));
    expect(odd.code).toBe(ErrorCode.XML_INVALID_SCHEMA);
    // A value outside the cached subset is left to the schema.
    expect(virErrorOf(() => parseDomainXML(doc('d', UUID, '+1024'))).code).toBe(ErrorCode.XML_INVALID_SCHEMA);
    // A structural difference is a different shape.
    expect(virErrorOf(() => parseDomainXML(doc('e', UUID, '1024', '<memtune><x/></memtune>'))).code).toBe(
      ErrorCode.XML_INVALID_SCHEMA,
    );
  });

  it('keeps error lines when the description spans lines', () => {
    parseDomainXML(doc('a', UUID, '1024'));
    const e = virErrorOf(() => parseDomainXML(doc('b', UUID, '1024', '<vcpu>1</vcpu>\n<vcpu>2</vcpu>\n')));
    expect(e.code).toBe(ErrorCode.XML_INVALID_SCHEMA);
    expect(e.message).toMatch(/line (9|10)/);
  });
});
