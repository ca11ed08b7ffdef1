import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { cloneDomainDef } from '../../src/xml/clone.js';
import type { DomainDef } from '../../src/xml/domain-def.js';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { domainXML } from '../helpers/domain-xml.js';
import { virErrorOf } from '../helpers/vir-error.js';
import { fixture } from './fixture.js';

describe('parseDomainXML', () => {
  it('reads the modelled fields of a real-world domain', () => {
    const def = parseDomainXML(fixture('real-world-qemu.xml'));
    expect(def).toMatchObject({
      type: 'kvm',
      id: 3,
      name: 'web-01',
      uuid: '3e3fce45-4f53-4fa7-bb32-11f34168b82b',
      title: 'Web server',
      description: 'Front end & cache, "primary" node',
      memory: 2097152n,
      currentMemory: 1048576n,
      memtune: { hardLimit: 3145728n, softLimit: 1572864n, minGuarantee: 0n, swapHardLimit: 4194304n, swapSoftLimit: UNLIMITED },
      vcpu: { count: 2, placement: 'static' },
      os: { type: 'hvm', arch: 'x86_64', machine: 'pc-q35-7.2', boot: ['hd', 'network'], initargs: [] },
      onPoweroff: 'destroy',
      onReboot: 'restart',
      onCrash: 'destroy',
      devices: { emulator: '/usr/bin/qemu-system-x86_64', memballoon: { model: 'virtio', statsPeriod: 10 } },
    });
  });

  it("applies libvirt's defaults", () => {
    const def = parseDomainXML(domainXML('vm1'));
    expect(def.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(parseDomainXML(domainXML('vm1')).uuid).not.toBe(def.uuid);
    expect(def.currentMemory).toBe(1048576n);
    expect(def.vcpu).toEqual({ count: 1, placement: 'static' });
    expect([def.onPoweroff, def.onReboot, def.onCrash]).toEqual(['destroy', 'restart', 'destroy']);
    expect(def.id).toBeUndefined();
  });

  it('caps currentMemory at memory and canonicalises the uuid', () => {
    const def = parseDomainXML(
      domainXML('vm1', '<currentMemory>99999999</currentMemory><uuid>6695EB01F6A4830479AA97F2502E193F</uuid>'),
    );
    expect(def.currentMemory).toBe(1048576n);
    expect(def.uuid).toBe('6695eb01-f6a4-8304-79aa-97f2502e193f');
  });

  it.each([
    ['no name', "<domain type='test'><memory>1</memory><os><type>hvm</type></os></domain>", ErrorCode.NO_NAME, ErrorDomain.DOMAIN, 'missing name information'],
    ['a / in the name', domainXML('a/b'), ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "XML error: name a/b cannot contain '/'"],
    ['no memory', "<domain type='test'><name>a</name><os><type>hvm</type></os></domain>", ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, 'XML error: Memory size must be specified via <memory> or in the <numa> configuration'],
    ['a bad memory value', "<domain type='test'><name>a</name><memory>abc</memory><os><type>hvm</type></os></domain>", ErrorCode.XML_ERROR, ErrorDomain.XML, "XML error: Invalid value 'abc' for element or attribute './memory[1]'"],
    ['memory overflow', "<domain type='test'><name>a</name><memory unit='EiB'>8</memory><os><type>hvm</type></os></domain>", ErrorCode.OVERFLOW, ErrorDomain.NONE, 'numerical overflow: value too large: 8EiB'],
    ['no os type', "<domain type='test'><name>a</name><memory>1024</memory></domain>", ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, 'XML error: an os <type> must be specified'],
    ['a bad os type', "<domain type='test'><name>a</name><memory>1024</memory><os><type>bogus</type></os></domain>", ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, "unsupported configuration: unknown OS type 'bogus'"],
    ['a bad domain type', "<domain type='bogus'><name>a</name><memory>1024</memory><os><type>hvm</type></os></domain>", ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, 'unsupported configuration: invalid domain type bogus'],
    ['no domain type', '<domain><name>a</name><memory>1024</memory><os><type>hvm</type></os></domain>', ErrorCode.INTERNAL_ERROR, ErrorDomain.DOMAIN, 'internal error: missing domain type attribute'],
    ['another root', '<foo/>', ErrorCode.XML_ERROR, ErrorDomain.XML, "XML error: expecting root element of 'domain', not 'foo'"],
    ['a bad uuid', domainXML('vm1', '<uuid>zz</uuid>'), ErrorCode.INTERNAL_ERROR, ErrorDomain.DOMAIN, 'internal error: malformed uuid element'],
    ['a title with a newline', domainXML('vm1', '<title>x\ny</title>'), ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "XML error: Domain title can't contain newlines"],
    ['a bad lifecycle action', domainXML('vm1', '<on_reboot>bogus</on_reboot>'), ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, 'unsupported configuration: unknown on_reboot action: bogus'],
    ['malformed XML', "<domain type='test'><name>a</name><memory>1024</memory><os><type>hvm</type></os></domain", ErrorCode.XML_DETAIL, ErrorDomain.DOMAIN, "(domain_definition):1: expected '>'\n<domain type='test'><name>a</name><memory>1024</memory><os><type>hvm</type></os></domain\n" + '-'.repeat(88) + '^'],

    // As libvirt 9.0 (python3-libvirt defineXML): an empty context line is printed as glibc prints NULL.
    ['an empty document', '', ErrorCode.XML_DETAIL, ErrorDomain.DOMAIN, '(domain_definition):1: Document is empty\n(null)\n^'],
    ['blank lines only', '\n\n', ErrorCode.XML_DETAIL, ErrorDomain.DOMAIN, "(domain_definition):3: Start tag expected, '<' not found\n(null)\n^"],
    ['blanks only', '  ', ErrorCode.XML_DETAIL, ErrorDomain.DOMAIN, "(domain_definition):1: Start tag expected, '<' not found\n  \n--^"],
  ])('rejects %s with libvirt\'s error', (_what, xml, code, domain, message) => {
    const e = virErrorOf(() => parseDomainXML(xml, { validate: false }));
    expect({ code: e.code, domain: e.domain, message: e.message }).toEqual({ code, domain, message });
  });

  it.each([
    ['a leading dot', '.hidden', "XML error: name .hidden cannot start with '.'"],
    ['a control character', 'a&#9;b', 'XML error: name "a\\tb" cannot contain control characters'],
    ['a C1 control character', 'a\u0085b', 'XML error: name "a\\u0085b" cannot contain control characters'],
    ['DEL', 'a\u007fb', 'XML error: name "a\\u007fb" cannot contain control characters'],
    // XML reads a CR in text as a line feed; the message shows what was written.
    ['a carriage return', 'a\rb', 'XML error: name "a\\rb" cannot contain control characters'],
    ['a carriage return as a reference', 'a&#13;b', 'XML error: name "a\\rb" cannot contain control characters'],
    ['a line feed', 'a\nb', 'XML error: name "a\\nb" cannot contain control characters'],
    ['CR LF', 'a\r\nb', 'XML error: name "a\\r\\nb" cannot contain control characters'],
    ['a right-to-left override', 'a\u202Eb', 'XML error: name "a\\u202eb" cannot contain invisible or bidirectional formatting characters (U+202E)'],
    ['a first-strong isolate', 'a\u2068b', 'XML error: name "a\\u2068b" cannot contain invisible or bidirectional formatting characters (U+2068)'],
    ['a zero-width space', 'a\u200Bb', 'XML error: name "a\\u200bb" cannot contain invisible or bidirectional formatting characters (U+200B)'],
    ['a zero-width joiner', 'a\u200Db', 'XML error: name "a\\u200db" cannot contain invisible or bidirectional formatting characters (U+200D)'],
    ['a byte order mark', 'a\uFEFFb', 'XML error: name "a\\ufeffb" cannot contain invisible or bidirectional formatting characters (U+FEFF)'],
    ['a 201-byte name', 'x'.repeat(201), 'XML error: name is too long: 201 bytes, at most 200 allowed'],
    ['a 201-byte name of 101 characters', '\u00e9'.repeat(100) + 'x', 'XML error: name is too long: 201 bytes, at most 200 allowed'],
    ['a dot only', '.', "XML error: name . cannot start with '.'"],
    ['a parent directory', '..', "XML error: name .. cannot start with '.'"],
  ])('rejects a name with %s (stricter than libvirt), with or without validation', (_what, name, message) => {
    for (const validate of [false, true]) {
      const e = virErrorOf(() => parseDomainXML(domainXML(name), { validate }));
      expect(e.code).toBe(ErrorCode.XML_ERROR);
      expect(e.domain).toBe(ErrorDomain.DOMAIN);
      expect(e.message).toBe(message);
    }
  });

  it.each([
    ['200 bytes', 'x'.repeat(200)],
    ['200 bytes of two-byte characters', '\u00e9'.repeat(100)],
    ['spaces, dots and non-ASCII inside', 'web 01.example \u{1F600}'],
  ])('accepts a name of %s', (_what, name) => {
    expect(parseDomainXML(domainXML(name)).name).toBe(name);
  });
});

describe('formatDomainXML', () => {
  it('writes a real-world libvirt document back byte for byte', () => {
    const xml = fixture('real-world-qemu.xml');
    expect(formatDomainXML(parseDomainXML(xml))).toBe(xml);
  });

  it('writes an LXC document with our swap_soft_limit extension back byte for byte', () => {
    const xml = fixture('minimal-lxc.xml');
    expect(formatDomainXML(parseDomainXML(xml))).toBe(xml);
  });

  it("prints libvirt's canonical form of a sparse document", () => {
    const xml =
      "<domain type='test'><devices/><clock offset='utc'/><cpu mode='host-model'/>" +
      "<memtune><soft_limit unit='KB'>2000</soft_limit><hard_limit>0</hard_limit><min_guarantee>0</min_guarantee></memtune>" +
      "<os><type>hvm</type></os><memory unit='MiB'>512</memory><title>a'b\"c&amp;&lt;&gt;</title><name>t1</name>" +
      '<uuid>f56ff170-37a9-4122-8a58-a02627b1130f</uuid></domain>';
    expect(formatDomainXML(parseDomainXML(xml))).toBe(`<domain type='test'>
  <name>t1</name>
  <uuid>f56ff170-37a9-4122-8a58-a02627b1130f</uuid>
  <title>a&apos;b&quot;c&amp;&lt;&gt;</title>
  <memory unit='KiB'>524288</memory>
  <currentMemory unit='KiB'>524288</currentMemory>
  <memtune>
    <hard_limit unit='KiB'>0</hard_limit>
    <soft_limit unit='KiB'>1954</soft_limit>
  </memtune>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type>hvm</type>
  </os>
  <cpu mode='host-model'/>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
  </devices>
</domain>
`);
  });

  it('refuses sizes that are not whole KiB amounts', () => {
    const def = parseDomainXML(domainXML('vm1'));
    expect(virErrorOf(() => formatDomainXML({ ...def, memory: 1.5 as unknown as bigint })).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => formatDomainXML({ ...def, currentMemory: -1n })).message).toContain('currentMemory must be');
  });

  it.each([
    ['a fractional vcpu count', { vcpu: { count: 1.5, placement: 'static' } }, 'vcpu count must be an integer from 1 to 4294967295, not 1.5'],
    ['a zero vcpu count', { vcpu: { count: 0, placement: 'static' } }, 'vcpu count must be an integer from 1 to 4294967295, not 0'],
    ['a current count above the maximum', { vcpu: { count: 2, current: 3, placement: 'static' } }, 'vcpu current must be an integer from 1 to 2, not 3'],
    ['a negative id', { id: -1 }, 'id must be an integer from 0 to 2147483647, not -1'],
    ['zero maxMemory slots', { maxMemory: { value: 1048576n, slots: 0 } }, 'maxMemory slots must be an integer from 1 to 4294967295, not 0'],
    ['a fractional stats period', { devices: { memballoon: { model: 'virtio', statsPeriod: 2.5 } } }, 'memballoon stats period must be an integer from 1 to 2147483647, not 2.5'],
  ])('refuses to print %s rather than print what libvirt cannot read', (_what, change, message) => {
    const def = { ...parseDomainXML(domainXML('vm1')), ...change } as DomainDef;
    const e = virErrorOf(() => formatDomainXML(def));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toBe(`invalid argument: ${message}`);
  });

  it('prints id only for live XML', () => {
    const def = { ...parseDomainXML(domainXML('vm1')), id: 7 };
    expect(formatDomainXML(def)).toMatch(/^<domain type='test' id='7'>\n/);
    expect(formatDomainXML(def, { inactive: true })).toMatch(/^<domain type='test'>\n/);
  });

  it('omits an all-default <memtune> and keeps neighbours in place', () => {
    const def = parseDomainXML(domainXML('vm1', '<memtune/><blkiotune><weight>500</weight></blkiotune>'));
    const out = formatDomainXML(def);
    expect(out).not.toContain('<memtune');
    expect(out).toContain("<currentMemory unit='KiB'>1048576</currentMemory>\n  <blkiotune>\n    <weight>500</weight>\n  </blkiotune>\n  <vcpu");
  });

  it('keeps an unknown element after the modelled element it followed', () => {
    const def = parseDomainXML(
      "<domain type='test'><name>a</name><title>t</title><x:foo xmlns:x='urn:x'>1</x:foo><!-- note -->" +
        '<memory>1024</memory><os><type>hvm</type></os></domain>',
      { validate: false },
    );
    const out = formatDomainXML(def);
    expect(out).toContain("<title>t</title>\n  <x:foo xmlns:x='urn:x'>1</x:foo>\n  <!-- note -->\n  <memory");
    delete def.title;
    expect(formatDomainXML(def)).toContain("<uuid>" + def.uuid + "</uuid>\n  <x:foo xmlns:x='urn:x'>1</x:foo>");
  });

  it('keeps mixed content byte for byte', () => {
    const meta = "<metadata><a:x xmlns:a='urn:a'>  one <b>two</b>\n three &amp; <![CDATA[<raw>]]> </a:x></metadata>";
    const out = formatDomainXML(parseDomainXML(domainXML('vm1', meta)));
    expect(out).toContain('  <metadata>\n    <a:x xmlns:a="urn:a">  one <b>two</b>\n three &amp; <![CDATA[<raw>]]> </a:x>\n  </metadata>\n');
  });

  it('produces plain data that structuredClone copies', () => {
    const def = parseDomainXML(fixture('real-world-qemu.xml'));
    const copy = cloneDomainDef(def);
    expect(copy).toEqual(def);
    copy.memtune.hardLimit = 1n;
    expect(def.memtune.hardLimit).toBe(3145728n);
    expect(formatDomainXML(copy)).toBe(formatDomainXML(def).replace('>3145728<', '>1<'));
  });
});
