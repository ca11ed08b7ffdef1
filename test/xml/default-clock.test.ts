import { describe, expect, it } from 'vitest';
import { parseLxcDomainXML } from '../../src/drivers/lxc/lxc-xml.js';
import { parseQemuDomainXML } from '../../src/drivers/qemu/qemu-xml.js';
import { cloneDomainDef } from '../../src/xml/clone.js';
import { formatDomainXML } from '../../src/xml/index.js';

// libvirt prints `<clock offset='utc'/>` after </os> for every domain defined without a clock; so do we.
describe('QEMU and LXC definitions get libvirt\'s default clock', () => {
  it('qemu', () => {
    const xml = formatDomainXML(
      parseQemuDomainXML(`<domain type='qemu'><name>c</name><memory>65536</memory><os><type>hvm</type></os></domain>`),
    );
    expect(xml).toMatch(/<\/os>\n  <clock offset='utc'\/>\n/);
  });

  it('lxc', () => {
    const xml = formatDomainXML(
      parseLxcDomainXML(`<domain type='lxc'><name>c</name><memory>65536</memory><os><type>exe</type><init>/bin/sh</init></os></domain>`),
    );
    expect(xml).toMatch(/<\/os>\n  <clock offset='utc'\/>\n/);
  });

  it('a clock the document has is kept as written', () => {
    const xml = formatDomainXML(
      parseQemuDomainXML(
        `<domain type='qemu'><name>c</name><memory>65536</memory><os><type>hvm</type></os><clock offset='localtime'/></domain>`,
      ),
    );
    expect(xml).toContain("<clock offset='localtime'/>");
    expect(xml).not.toContain("offset='utc'");
  });

  it('definitions that kept nothing else share one frozen default clock; a clone is a plain copy', () => {
    const doc = (n: string) => `<domain type='qemu'><name>${n}</name><memory>65536</memory><os><type>hvm</type></os></domain>`;
    const a = parseQemuDomainXML(doc('a'));
    const b = parseQemuDomainXML(doc('b'));
    expect(a.passthrough).toBe(b.passthrough);
    expect(Object.isFrozen(a.passthrough)).toBe(true);
    const copy = cloneDomainDef(a);
    expect(copy.passthrough).toEqual(a.passthrough);
    expect(Object.isFrozen(copy.passthrough)).toBe(false);
    expect(formatDomainXML(copy)).toBe(formatDomainXML(a));
  });
});
