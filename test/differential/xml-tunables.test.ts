// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorDomain, VirError } from '../../src/errors.js';
import { parseDocument } from '../../src/xml/document.js';
import { tokenize } from '../../src/xml/tokenizer.js';
import { validateDomainDocument } from '../../src/xml/validate.js';
import { clearValidationCache } from '../../src/xml/validation-cache.js';
import { libvirtSchemaAccepts, matchLibvirtOnDocuments, type AcceptedDoc, type RefusedDoc } from '../helpers/libvirt-documents.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * `<cputune>` and `<blkiotune>` beside libvirt 9.0: what its test driver keeps of a definition (dumpxml, byte
 * for byte), the errors it gives (code, domain, message), and what its schema (`virt-xml-validate`) accepts.
 */
// What the test driver adds to any definition (an arch, a boot device, a clock), given up front.
const OS = "<os><type arch='i686'>hvm</type><boot dev='hd'/></os><clock offset='utc'/>";
const BASE = `<memory>1048576</memory><vcpu>2</vcpu>${OS}`;

// A third element `false` marks documents libvirt's schema (and so virtune's) refuses: compared without validation.
const DOCS: AcceptedDoc[] = [
  ['every cputune value, in any order, with pinning kept in its place',
    `${BASE}<cputune><iothread_quota>-1</iothread_quota><vcpupin vcpu='0' cpuset='0'/><quota>-1</quota>` +
    "<emulatorpin cpuset='0'/><global_quota>20000</global_quota><emulator_period>100000</emulator_period>" +
    '<period>100000</period><shares>1024</shares><global_period>100000</global_period>' +
    '<emulator_quota>5000</emulator_quota><iothread_period>1000</iothread_period></cputune>'],
  ['shares of 0 is printed, a period and quota of 0 are not',
    `${BASE}<cputune><shares>0</shares><period>0</period><quota>0</quota></cputune>`, false],
  ['the largest quota and the edges of the period',
    `${BASE}<cputune><quota>17592186044415</quota><period>1000</period><global_period>1000000</global_period></cputune>`],
  ['a negative quota below -1 and numbers with white space and signs',
    `${BASE}<cputune><quota>-2</quota><global_quota> -9223372036854775808</global_quota><shares> +08</shares></cputune>`, false],
  ['values of a second cputune and the first of each value',
    `${BASE}<cputune><shares>5</shares><shares>x</shares></cputune><cputune><period>2000</period><shares>7</shares></cputune>`, false],
  ['an empty value is not set', `${BASE}<cputune><shares></shares><period/></cputune>`, false],
  ['a cputune with nothing is left out', `${BASE}<cputune/>`],
  // libvirt writes vcpupin in vCPU order; virtune keeps them in the order given, so they are given in that order.
  ['only pinning', `${BASE}<cputune><emulatorpin cpuset='1'/><vcpupin vcpu='0' cpuset='1'/><vcpupin vcpu='1' cpuset='0-1'/></cputune>`],
  ['blkiotune weight and devices in libvirt order',
    `${BASE}<blkiotune><device><write_iops_sec>7</write_iops_sec><path>/dev/sda</path><read_iops_sec>5</read_iops_sec>` +
    '<write_bytes_sec>3</write_bytes_sec><read_bytes_sec>2</read_bytes_sec><weight>500</weight></device>' +
    '<device><path>/dev/sdb</path><read_bytes_sec>18446744073709551615</read_bytes_sec></device><weight>300</weight></blkiotune>'],
  ['blkio values of 0 and a device with none', `${BASE}<blkiotune><weight>0</weight><device><path>/dev/sda</path><weight>0</weight></device><device><path>/dev/sdb</path><weight>200</weight></device></blkiotune>`, false],
  ['weights outside 100..1000 are defined', `${BASE}<blkiotune><weight>5</weight><device><path>/a</path><weight>1001</weight></device></blkiotune>`, false],
  ['an unreadable domain weight is not set', `${BASE}<blkiotune><weight>7 </weight><device><path>/a</path><weight>150</weight></device></blkiotune>`, false],
  ['a minus sign wraps device values', `${BASE}<blkiotune><device><path>/a</path><weight>-1</weight><read_bytes_sec>-1</read_bytes_sec><read_iops_sec>-4294967295</read_iops_sec></device></blkiotune>`, false],
  ['the first path, odd paths and escaping', `${BASE}<blkiotune><device><path>/a&amp;&lt;'"</path><path>/b</path><weight>150</weight></device><device><path> rel </path><weight>100</weight></device></blkiotune>`, false],
  ['text split by markup and an unknown child', `${BASE}<blkiotune><device><path>/a</path><foo>x</foo><weight>1<x>2</x>0</weight></device></blkiotune>`, false],
  ['blkiotune, memtune and cputune around the vcpu',
    `<memory>1048576</memory>${OS}<cputune><shares>2048</shares></cputune><memtune><hard_limit>4096</hard_limit></memtune>` +
    "<vcpu placement='static'>4</vcpu><blkiotune><weight>800</weight></blkiotune>"],
];

/** Documents libvirt refuses: virtune must refuse them with the same code, domain and message. */
const BAD_DOCS: RefusedDoc[] = [
  ['shares that is not a number', `${BASE}<cputune><shares>abc</shares></cputune>`],
  ['negative shares', `${BASE}<cputune><shares>-1</shares></cputune>`],
  ['shares beyond 64 bits', `${BASE}<cputune><shares>18446744073709551616</shares></cputune>`],
  ['shares of 1', `${BASE}<cputune><shares>1</shares></cputune>`],
  ['shares above 262144', `${BASE}<cputune><shares>262145</shares></cputune>`],
  ['a trailing space in shares', `${BASE}<cputune><shares>1 </shares></cputune>`],
  ['a period below 1000', `${BASE}<cputune><period>999</period></cputune>`],
  ['a period above 1000000', `${BASE}<cputune><period>1000001</period></cputune>`],
  ['a negative period', `${BASE}<cputune><period>-5</period></cputune>`],
  ['a quota that is not a number', `${BASE}<cputune><quota>x</quota></cputune>`],
  ['a quota below 1000', `${BASE}<cputune><quota>999</quota></cputune>`],
  ['a quota above the largest', `${BASE}<cputune><quota>17592186044416</quota></cputune>`],
  ['a quota beyond 64 bits', `${BASE}<cputune><quota>9223372036854775808</quota></cputune>`],
  ['a bad global period', `${BASE}<cputune><global_period>x</global_period></cputune>`],
  ['a bad global quota', `${BASE}<cputune><global_quota>x</global_quota></cputune>`],
  ['a bad emulator period', `${BASE}<cputune><emulator_period>x</emulator_period></cputune>`],
  ['a bad emulator quota', `${BASE}<cputune><emulator_quota>x</emulator_quota></cputune>`],
  ['a bad iothread period', `${BASE}<cputune><iothread_period>0x10</iothread_period></cputune>`],
  ['a bad iothread quota', `${BASE}<cputune><iothread_quota>1.5</iothread_quota></cputune>`],
  ['an emulator quota out of range', `${BASE}<cputune><emulator_quota>5</emulator_quota></cputune>`],
  ['shares read before the global quota', `${BASE}<cputune><global_quota>x</global_quota><shares>x</shares></cputune>`],
  ['shares checked before periods', `${BASE}<cputune><period>999</period><shares>1</shares></cputune>`],
  ['periods checked before quotas', `${BASE}<cputune><quota>999</quota><iothread_period>999</iothread_period></cputune>`],
  ['a device without path', `${BASE}<blkiotune><device><weight>500</weight></device></blkiotune>`],
  ['a device with an empty path', `${BASE}<blkiotune><device><path></path><weight>500</weight></device></blkiotune>`],
  ['a device weight that is not a number', `${BASE}<blkiotune><device><path>/a</path><weight>x</weight></device></blkiotune>`],
  ['a device weight below -UINT_MAX', `${BASE}<blkiotune><device><path>/a</path><weight>-4294967296</weight></device></blkiotune>`],
  ['bad read bytes', `${BASE}<blkiotune><device><path>/a</path><read_bytes_sec>18446744073709551616</read_bytes_sec></device></blkiotune>`],
  ['bad write bytes', `${BASE}<blkiotune><device><path>/a</path><write_bytes_sec>5 </write_bytes_sec></device></blkiotune>`],
  ['bad read iops', `${BASE}<blkiotune><device><path>/a</path><read_iops_sec>x</read_iops_sec></device></blkiotune>`],
  ['write iops beyond 32 bits', `${BASE}<blkiotune><device><path>/a</path><write_iops_sec>4294967296</write_iops_sec></device></blkiotune>`],
  ['a device weight read before its throttles', `${BASE}<blkiotune><device><path>/a</path><write_iops_sec>x</write_iops_sec><read_bytes_sec>y</read_bytes_sec><weight>z</weight></device></blkiotune>`],
  ['two devices with one path', `${BASE}<blkiotune><device><path>/a</path><weight>100</weight></device><device><path>/a</path><weight>200</weight></device></blkiotune>`],
  ['two devices with one path and nothing set', `${BASE}<blkiotune><device><path>/a</path></device><device><path>/a</path></device></blkiotune>`],
  ['a bad second device before the duplicate path', `${BASE}<blkiotune><device><path>/a</path></device><device><path>/a</path><weight>x</weight></device></blkiotune>`],
  // Several faults: libvirt reports the one its parser meets first.
  ['a bad memory value before a bad device', `<memory>x</memory>${OS}<blkiotune><device/></blkiotune>`],
  ['bad maxMemory slots before a bad device', `${BASE}<maxMemory slots='x'>1</maxMemory><blkiotune><device/></blkiotune>`],
  ['a bad device before a bad memtune value', `${BASE}<memtune><hard_limit>x</hard_limit></memtune><blkiotune><device/></blkiotune>`],
  ['a bad memtune value before bad shares', `${BASE}<cputune><shares>x</shares></cputune><memtune><hard_limit>x</hard_limit></memtune>`],
  ['a bad device before a bad vcpu count', `<memory>1024</memory>${OS}<vcpu>x</vcpu><blkiotune><device/></blkiotune>`],
  ['a bad vcpu count before bad shares', `<memory>1024</memory>${OS}<cputune><shares>x</shares></cputune><vcpu>x</vcpu>`],
  ['a bad placement before bad shares', `<memory>1024</memory>${OS}<cputune><shares>x</shares></cputune><vcpu placement='x'>2</vcpu>`],
  ['current vcpus above the maximum before bad shares', `<memory>1024</memory>${OS}<cputune><shares>x</shares></cputune><vcpu current='3'>2</vcpu>`],
  ['bad shares before a zero vcpu count', `<memory>1024</memory>${OS}<vcpu>0</vcpu><cputune><shares>x</shares></cputune>`],
  ['a zero vcpu count before out-of-range shares', `<memory>1024</memory>${OS}<vcpu>0</vcpu><cputune><shares>1</shares></cputune>`],
  ['bad shares before a bad lifecycle action', `${BASE}<cputune><shares>x</shares></cputune><on_crash>foo</on_crash>`],
  ['bad shares before a bad memballoon', `${BASE}<cputune><shares>x</shares></cputune><devices><memballoon model='foo'/></devices>`],
  ['a bad memballoon before out-of-range shares', `${BASE}<cputune><shares>1</shares></cputune><devices><memballoon model='foo'/></devices>`],
  ['no memory before out-of-range shares', `${OS}<cputune><shares>1</shares></cputune>`],
  ['memory devices beyond the total before out-of-range shares',
    `<memory>1024</memory>${OS}<cputune><shares>1</shares></cputune><devices><memory model='dimm'><target><size>2048</size></target></memory></devices>`],
  ['maxMemory below memory before an out-of-range period', `${BASE}<cputune><period>1</period></cputune><maxMemory slots='1'>1</maxMemory>`],
];

function doc(i: number, body: string): string {
  return `<domain type='test'><name>tx-${process.pid}-${i}</name>${body}</domain>`;
}

describe.skipIf(skipUnless('python-libvirt'))('<cputune> and <blkiotune> against libvirt', () => {
  matchLibvirtOnDocuments(DOCS, BAD_DOCS, doc, { rereadLibvirtOutput: true, acceptedTitle: 'prints %s as libvirt does' });
});

// Documents for the schemas alone: virtune's schemas/domain.rng must accept exactly what libvirt's accepts.
const SCHEMA_BODIES: string[] = [
  '<cputune/>', '<blkiotune/>',
  '<cputune><shares>0</shares></cputune>', '<cputune><shares>4294967295</shares></cputune>',
  '<cputune><shares>4294967296</shares></cputune>', '<cputune><shares>-1</shares></cputune>',
  '<cputune><shares> 5</shares></cputune>', '<cputune><shares>+5</shares></cputune>', '<cputune><shares></shares></cputune>',
  '<cputune><period>1000</period></cputune>', '<cputune><period>1000000</period></cputune>',
  '<cputune><period>999</period></cputune>', '<cputune><period>1000001</period></cputune>', '<cputune><period>0</period></cputune>',
  '<cputune><global_period>100000</global_period><emulator_period>2000</emulator_period><iothread_period>3000</iothread_period></cputune>',
  '<cputune><emulator_period>999</emulator_period></cputune>', '<cputune><iothread_period>x</iothread_period></cputune>',
  '<cputune><quota>-1</quota></cputune>', '<cputune><quota>-2</quota></cputune>', '<cputune><quota>0</quota></cputune>',
  '<cputune><quota>17592186044415</quota></cputune>', '<cputune><quota>17592186044416</quota></cputune>',
  '<cputune><global_quota>1.5</global_quota></cputune>', '<cputune><emulator_quota>-0</emulator_quota></cputune>',
  '<cputune><iothread_quota>+5</iothread_quota></cputune>',
  '<cputune><shares>5</shares><shares>6</shares></cputune>', '<cputune><shares>5</shares></cputune><cputune/>',
  "<cputune><vcpupin vcpu='0' cpuset='0'/><shares>5</shares><emulatorpin cpuset='1'/></cputune>",
  "<cputune foo='1'><shares>5</shares></cputune>",
  '<blkiotune><weight>100</weight></blkiotune>', '<blkiotune><weight>1000</weight></blkiotune>',
  '<blkiotune><weight>99</weight></blkiotune>', '<blkiotune><weight>1001</weight></blkiotune>',
  '<blkiotune><weight>500</weight><weight>600</weight></blkiotune>', '<blkiotune/><blkiotune/>',
  '<blkiotune><device><path>/dev/sda</path><weight>500</weight><read_iops_sec>1</read_iops_sec><write_iops_sec>2</write_iops_sec>' +
    '<read_bytes_sec>3</read_bytes_sec><write_bytes_sec>4</write_bytes_sec></device><device><path>/dev/sdb</path></device></blkiotune>',
  '<blkiotune><device><weight>500</weight></device></blkiotune>', '<blkiotune><device><path>rel</path></device></blkiotune>',
  '<blkiotune><device><path>C:\\disk</path></device></blkiotune>', '<blkiotune><device><path>/</path></device></blkiotune>',
  '<blkiotune><device><path>/a</path><weight>50</weight></device></blkiotune>',
  '<blkiotune><device><path>/a</path><read_iops_sec>4294967295</read_iops_sec></device></blkiotune>',
  '<blkiotune><device><path>/a</path><read_iops_sec>4294967296</read_iops_sec></device></blkiotune>',
  '<blkiotune><device><path>/a</path><write_iops_sec> +5 </write_iops_sec></device></blkiotune>',
  '<blkiotune><device><path>/a</path><read_bytes_sec>18446744073709551615</read_bytes_sec></device></blkiotune>',
  '<blkiotune><device><path>/a</path><read_bytes_sec>18446744073709551616</read_bytes_sec></device></blkiotune>',
  '<blkiotune><device><path>/a</path><write_bytes_sec>-1</write_bytes_sec></device></blkiotune>',
  '<blkiotune><device><path>/a</path><path>/b</path></device></blkiotune>',
  '<blkiotune><device><path>/a</path><foo/></device></blkiotune>', '<blkiotune><foo/></blkiotune>',
  "<blkiotune foo='1'/>",
];

describe.skipIf(skipUnless('virt-xml-validate'))("virtune's schema beside libvirt's on <cputune> and <blkiotune>", () => {
  const dir = mkdtempSync(join(tmpdir(), `virtune-tunables-${process.pid}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function virtuneAccepts(xml: string): boolean {
    try {
      validateDomainDocument(parseDocument(xml, 'x', ErrorDomain.DOMAIN).doc, xml, tokenize(xml));
      return true;
    } catch (e) {
      if (e instanceof VirError) return false;
      throw e;
    }
  }

  it('accepts and refuses the same documents (through the schema view, with the cache cold and warm)', () => {
    const docs = SCHEMA_BODIES.map((body, i) => `<domain type='test'><name>s${i}</name>${BASE}${body}</domain>`);
    const libvirt = docs.map((xml, i) => libvirtSchemaAccepts(dir, `s${i}`, xml));
    // Both verdicts occur often, or the comparison says little.
    expect(libvirt.filter((v) => v).length).toBeGreaterThan(15);
    expect(libvirt.filter((v) => !v).length).toBeGreaterThan(15);
    for (const pass of ['cold', 'warm']) {
      if (pass === 'cold') clearValidationCache();
      const ours = docs.map(virtuneAccepts);
      expect(ours.map((v, i) => `${v} ${SCHEMA_BODIES[i]}`)).toEqual(libvirt.map((v, i) => `${v} ${SCHEMA_BODIES[i]}`));
    }
  });
});
