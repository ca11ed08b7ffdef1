import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { domainDef, word, xmlText } from './arbitraries.js';

// Unmodelled content: elements libvirt knows, foreign-namespace elements, comments, mixed content.
const rawPiece = fc.oneof(
  fc.constantFrom(
    "<clock offset='utc'><timer name='rtc' tickpolicy='catchup'/></clock>",
    '<features><acpi/><apic/></features>',
    "<cpu mode='host-model'/>",
    '<blkiotune><weight>500</weight></blkiotune>',
    "<metadata><a:x xmlns:a='urn:a'>  t <b>u</b> </a:x></metadata>",
    "<q:commandline xmlns:q='urn:q'><q:arg value='-x'/></q:commandline>",
    "<seclabel type='none'/>",
    '<pm><suspend-to-mem enabled="no"/></pm>',
    '<?app-hint keep me?>',
    "<metadata><c:x xmlns:c='urn:c'><![CDATA[<raw> & ]]>text</c:x></metadata>",
  ),
  xmlText(0, 10).filter((s) => !s.includes('--') && !s.endsWith('-')).map((t) => `<!--${t}-->`),
  fc.tuple(word, xmlText()).map(([n, t]) => `<x:${n} xmlns:x='urn:x' a='${t.replace(/[&<>']/g, '')}'>${t.replace(/[&<>]/g, '')}</x:${n}>`),
);
const knownPieces = [
  '<name>rt</name>', "<memory dumpCore='on'>1048576</memory>",
  "<os firmware='efi'><type machine='q35'>hvm</type><!--c--><loader>/l</loader><?pi os?><boot dev='hd'/></os>",
  '<title>T</title>', '<memtune><hard_limit>5</hard_limit></memtune>', '<memtune/>', '<vcpu>2</vcpu>',
  "<devices><disk type='file'><source file='/x'/></disk><emulator>/e</emulator><memballoon model='virtio' autodeflate='on'><alias name='b'/><stats period='5'/></memballoon><!--d--></devices>",
  // <cputune>: values and kept pinning, comments and foreign elements between them, in no particular order.
  "<cputune><!--c--><vcpupin vcpu='0' cpuset='0'/><quota>-1</quota><y:p xmlns:y='urn:y'>t</y:p><shares>5</shares><emulatorpin cpuset='0'/><period>1000</period><?pi c?></cputune>",
  '<blkiotune><device><read_iops_sec>5</read_iops_sec><path>/dev/sda</path></device><weight>100</weight></blkiotune>',
];

describe('round trip', () => {
  it('parse(format(d)) equals d for any definition', () => {
    fc.assert(
      fc.property(domainDef, (def) => {
        const xml = formatDomainXML(def);
        expect(parseDomainXML(xml)).toEqual(def);
      }),
      { numRuns: 300 },
    );
  });

  it('format(parse(x)) is a fixed point for documents with unmodelled content in any order', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(knownPieces, { minLength: knownPieces.length, maxLength: knownPieces.length }),
        fc.array(fc.tuple(fc.nat(12), rawPiece), { maxLength: 8 }),
        (known, raws) => {
          // Keep one <memtune> variant only, so the document stays valid.
          const pieces = known.filter((p) => p !== (known.indexOf('<memtune/>') < known.indexOf('<memtune><hard_limit>5</hard_limit></memtune>') ? '<memtune/>' : '<memtune><hard_limit>5</hard_limit></memtune>'));
          for (const [at, raw] of raws) pieces.splice(at % (pieces.length + 1), 0, raw);
          const xml = `<domain type='kvm'>${pieces.join('')}</domain>`;
          const def = parseDomainXML(xml, { validate: false });
          const once = formatDomainXML(def);
          const again = parseDomainXML(once);
          expect(again).toEqual(def);
          expect(formatDomainXML(again)).toBe(once);
        },
      ),
      { numRuns: 300 },
    );
  });
});
