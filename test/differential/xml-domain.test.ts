import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * Whole documents: what libvirt's test driver prints for a definition and what virtune prints for the same
 * one must be identical. The documents carry what the test driver would otherwise add (arch, a boot device,
 * no devices that get addresses), so the comparison covers libvirt's element order, omissions and escaping.
 */
// The test driver always prints a clock (offset utc by default); virtune keeps whatever clock the document has.
const OS = "<os><type arch='i686'>hvm</type><boot dev='hd'/></os><clock offset='utc'/>";
const DOCS: Array<[label: string, body: string]> = [
  ['minimal', `<memory>1048576</memory>${OS}`],
  ['escaping in title and description',
    `<title>a'b"c&amp;&lt;&gt;</title><description>multi\nline 'x' "y" &amp; z</description><memory>1024</memory>${OS}`],
  ['element order restored',
    `<devices/><on_crash>preserve</on_crash><cpu mode='host-model'/><features><acpi/></features>${OS}` +
    "<vcpu placement='static' current='1'>2</vcpu><memtune><swap_hard_limit>4096</swap_hard_limit><hard_limit>2048</hard_limit>" +
    "</memtune><currentMemory unit='MiB'>1</currentMemory><memory unit='GiB'>1</memory><uuid>0A0B0C0D1E2F30415263748596A7B8C9</uuid>"],
  ['maxMemory and sizes in other units',
    `<maxMemory slots='16' unit='GiB'>4</maxMemory><memory unit='MB'>1000</memory><currentMemory unit='b'>1025</currentMemory>${OS}`],
  ['metadata with foreign namespaces',
    "<metadata><app:x xmlns:app='urn:app' k='v&quot;'>t 'q' <b>u</b></app:x><o:y xmlns:o='urn:o'/></metadata>" +
    `<memory>1024</memory>${OS}`],
  ['memtune zero and unlimited',
    `<memory>1024</memory>${OS}<memtune><hard_limit>0</hard_limit><soft_limit>9007199254740991</soft_limit><min_guarantee>0</min_guarantee></memtune>`],
  ['lifecycle actions', `<memory>1024</memory>${OS}<on_poweroff>preserve</on_poweroff><on_reboot>destroy</on_reboot><on_crash>coredump-restart</on_crash>`],
  // libvirt adds this <numatune> itself for placement='auto'; virtune does not model NUMA and adds nothing.
  ['vcpu placement auto',
    `<memory>1024</memory>${OS}<vcpu placement='auto'>4</vcpu><numatune><memory mode='strict' placement='auto'/></numatune>`],
];

function doc(i: number, body: string): string {
  return `<domain type='test'><name>dx-${process.pid}-${i}</name>${body}</domain>`;
}

describe.skipIf(skipUnless('python-libvirt'))('whole domain XML against libvirt', () => {
  let libvirt: Array<{ ok: boolean; xml?: string; message?: string }> = [];

  beforeAll(() => {
    const script = fileURLToPath(new URL('../xml/libvirt-oracle.py', import.meta.url));
    libvirt = JSON.parse(
      execFileSync('/usr/bin/python3', [script], {
        input: JSON.stringify(DOCS.map(([, body], i) => doc(i, body))),
        encoding: 'utf8',
        timeout: 60_000,
      }),
    );
  });

  it.each(DOCS.map(([label], i) => [label, i] as const))('%s', (_label, i) => {
    const lv = libvirt[i]!;
    expect(lv.message).toBeUndefined();
    const def = parseDomainXML(doc(i, DOCS[i]![1]));
    // A document without <uuid> gets a random one on each side; compare with libvirt's.
    const xml = formatDomainXML({ ...def, uuid: /<uuid>([^<]+)<\/uuid>/.exec(lv.xml!)![1]! }, { inactive: true });
    expect(xml).toBe(lv.xml);
  });
});
