import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { UNLIMITED } from '../../src/memory/params.js';
import type { DomainDef } from '../../src/xml/domain-def.js';
import { parseDomainXML, validateDomainXML } from '../../src/xml/parse-domain.js';
import { domainXML } from '../helpers/domain-xml.js';
import { virErrorOf } from '../helpers/vir-error.js';
import { fixture } from './fixture.js';

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
    // libxml2 blames the interleave's parent; virtune adds memtune.rng's finding, which names the child.
    expect(e.message).toContain('line 6: Element memtune has extra content: foo');
  });

  it('names the memtune child at fault when the memtune is not the first line', () => {
    const xml = "<domain type='test'>\n<name>a</name>\n<memory>1024</memory>\n<os><type>hvm</type></os>\n<memtune><hard_limit>+1</hard_limit></memtune>\n</domain>";
    expect(virErrorOf(() => parseDomainXML(xml)).message).toContain('line 5: Extra element hard_limit in interleave');
  });

  it('is on by default and can be turned off', () => {
    const xml = domainXML('vm1', '<memtune><hard_limit>1</hard_limit><hard_limit>2</hard_limit></memtune>');
    expect(virErrorOf(() => parseDomainXML(xml)).code).toBe(ErrorCode.XML_INVALID_SCHEMA);
    expect(parseDomainXML(xml, { validate: false }).memtune.hardLimit).toBe(1n);
  });

  it.each([
    ['a duplicate <memory>', '<memory>5</memory>'],
    ['an unknown memtune child', '<memtune><foo>1</foo></memtune>'],
    ['an empty limit', '<memtune><hard_limit></hard_limit></memtune>'],
    ['a unit outside the pattern on <currentMemory>', "<currentMemory unit='KIBB'>5</currentMemory>"],
    ['a bad stats period', "<devices><memballoon model='virtio'><stats period='x'/></memballoon></devices>"],
    ['a zero current vcpu count', '<vcpu current="0">1</vcpu>'],
  ])('rejects %s', (_what, extra) => {
    const e = virErrorOf(() => parseDomainXML(domainXML('vm1', extra)));
    expect([ErrorCode.XML_INVALID_SCHEMA, ErrorCode.XML_ERROR, ErrorCode.INVALID_ARG]).toContain(e.code);
  });

  // libvirt's parser takes these; libvirt's schema (virt-xml-validate) refuses them, and so does ours.
  it.each([
    ['more vCPUs than libvirt\'s schema allows', '<vcpu>65536</vcpu>', (d: DomainDef) => d.vcpu.count, 65536],
    ['a size with leading white space', '<currentMemory> 5</currentMemory>', (d: DomainDef) => d.currentMemory, 5n],
    ['a size with a plus sign', '<memtune><soft_limit>+5</soft_limit></memtune>', (d: DomainDef) => d.memtune.softLimit, 5n],
    ['an empty unit', "<memtune><soft_limit unit=''>5</soft_limit></memtune>", (d: DomainDef) => d.memtune.softLimit, 5n],
    ['an empty limit', '<memtune><hard_limit/></memtune>', (d: DomainDef) => d.memtune.hardLimit, UNLIMITED],
  ])('refuses %s, which { validate: false } reads as libvirt does', (_what, extra, get, value) => {
    const xml = domainXML('vm1', extra).replace('<name>', '\n<name>').replace(extra, `\n${extra}\n`);
    const e = virErrorOf(() => parseDomainXML(xml));
    expect(e.code).toBe(ErrorCode.XML_INVALID_SCHEMA);
    expect(e.message).toMatch(/\nline 3: /);
    expect(get(parseDomainXML(xml, { validate: false }))).toBe(value);
  });

  it('accepts the largest vCPU count libvirt\'s schema allows', () => {
    expect(parseDomainXML(domainXML('vm1', "<vcpu current='65535'>65535</vcpu>")).vcpu.count).toBe(65535);
  });

  it('lets unknown elements and attributes through', () => {
    expect(() =>
      validateDomainXML(domainXML('vm1', "<features><acpi/></features><devices><disk type='file' device='disk'><x y='z'/></disk></devices>")),
    ).not.toThrow();
  });
});
