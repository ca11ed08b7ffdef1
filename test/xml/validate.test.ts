import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { parseDomainXML, validateDomainXML } from '../../src/xml/parse-domain.js';
import { domainXML, fixture, virErrorOf } from './helpers.js';

describe('schema validation', () => {
  it('accepts the fixtures and anything libvirt elements carry', () => {
    expect(() => validateDomainXML(fixture('real-world-qemu.xml'))).not.toThrow();
    expect(() => validateDomainXML(fixture('minimal-lxc.xml'))).not.toThrow();
  });

  it('names the element and its line', () => {
    const xml = "<domain type='test'>\n<name>a</name>\n<memory>1024</memory>\n<os><type>hvm</type></os>\n<memtune>\n<foo>1</foo>\n</memtune>\n</domain>";
    const e = virErrorOf(() => parseDomainXML(xml));
    expect(e.code).toBe(ErrorCode.XML_INVALID_SCHEMA);
    expect(e.message).toMatch(/^XML document failed to validate against schema: Unable to validate doc against schemas\/domain.rng\n/);
    expect(e.message).toContain('line 5: Extra element memtune in interleave');
  });

  it('is on by default and can be turned off', () => {
    const xml = domainXML('<memtune><hard_limit>1</hard_limit><hard_limit>2</hard_limit></memtune>');
    expect(virErrorOf(() => parseDomainXML(xml)).code).toBe(ErrorCode.XML_INVALID_SCHEMA);
    expect(parseDomainXML(xml, { validate: false }).memtune.hardLimit).toBe(1);
  });

  it.each([
    ['a duplicate <memory>', '<memory>5</memory>'],
    ['an unknown memtune child', '<memtune><foo>1</foo></memtune>'],
    ['an empty limit', '<memtune><hard_limit></hard_limit></memtune>'],
    ['a unit outside the pattern on <currentMemory>', "<currentMemory unit='KIBB'>5</currentMemory>"],
    ['a bad stats period', "<devices><memballoon model='virtio'><stats period='x'/></memballoon></devices>"],
    ['a zero current vcpu count', '<vcpu current="0">1</vcpu>'],
  ])('rejects %s', (_what, extra) => {
    const e = virErrorOf(() => parseDomainXML(domainXML(extra)));
    expect([ErrorCode.XML_INVALID_SCHEMA, ErrorCode.XML_ERROR, ErrorCode.INVALID_ARG]).toContain(e.code);
  });

  it('lets unknown elements and attributes through', () => {
    expect(() =>
      validateDomainXML(domainXML("<features><acpi/></features><devices><disk type='file' device='disk'><x y='z'/></disk></devices>")),
    ).not.toThrow();
  });
});
