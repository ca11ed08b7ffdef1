// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VirError } from '../../src/errors.js';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { libvirtSchemaAccepts } from '../helpers/libvirt-documents.js';
import { keptByLibvirt } from '../helpers/libvirt-oracle.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * Defines the same `<memtune>` variants in libvirt's test driver (through its Python binding) and in virtune,
 * and compares the printed `<memtune>` or the error (code, domain, message). libvirt's own schema
 * (virt-xml-validate) is the oracle for what validation must refuse.
 */
const VARIANTS: Array<[label: string, memtune: string | null]> = [
  ['no unit', '<memtune><hard_limit>1048576</hard_limit></memtune>'],
  ['KiB', "<memtune><hard_limit unit='KiB'>2048</hard_limit></memtune>"],
  ['k', "<memtune><soft_limit unit='k'>3</soft_limit></memtune>"],
  ['KB is 1000', "<memtune><soft_limit unit='KB'>2000</soft_limit></memtune>"],
  ['M', "<memtune><hard_limit unit='M'>512</hard_limit></memtune>"],
  ['MB rounds up', "<memtune><hard_limit unit='MB'>1</hard_limit></memtune>"],
  ['G', "<memtune><swap_hard_limit unit='G'>2</swap_hard_limit></memtune>"],
  ['GiB upper case', "<memtune><swap_hard_limit unit='GIB'>3</swap_hard_limit></memtune>"],
  ['TiB and TB', "<memtune><swap_hard_limit unit='TB'>1</swap_hard_limit><hard_limit unit='TiB'>1</hard_limit></memtune>"],
  ['bytes round up', "<memtune><hard_limit unit='B'>1023</hard_limit></memtune>"],
  ['bytes 1025', "<memtune><hard_limit unit='bytes'>1025</hard_limit></memtune>"],
  ['one byte is one KiB', "<memtune><hard_limit unit='b'>1</hard_limit></memtune>"],
  ['zero bytes', "<memtune><hard_limit unit='bytes'>0</hard_limit></memtune>"],
  ['Bytes mixed case', "<memtune><min_guarantee unit='Bytes'>1</min_guarantee></memtune>"],
  ['T', "<memtune><hard_limit unit='T'>1</hard_limit></memtune>"],
  ['PB', "<memtune><hard_limit unit='PB'>1</hard_limit></memtune>"],
  ['E 7', "<memtune><hard_limit unit='E'>7</hard_limit></memtune>"],
  ['EiB 7 soft', "<memtune><soft_limit unit='EiB'>7</soft_limit></memtune>"],
  ['EB 9 fits', "<memtune><hard_limit unit='EB'>9</hard_limit></memtune>"],
  ['empty unit means KiB', "<memtune><hard_limit unit=''>5</hard_limit></memtune>"],
  ['zero limit is printed', '<memtune><hard_limit>0</hard_limit></memtune>'],
  ['zero guarantee is omitted', '<memtune><min_guarantee>0</min_guarantee><soft_limit>5</soft_limit></memtune>'],
  ['unlimited is omitted', '<memtune><hard_limit>9007199254740991</hard_limit></memtune>'],
  ['just below unlimited', '<memtune><soft_limit>9007199254740990</soft_limit></memtune>'],
  ['largest guarantee', '<memtune><min_guarantee>9007199254740991</min_guarantee></memtune>'],
  ['guarantee in EiB', "<memtune><min_guarantee unit='EiB'>7</min_guarantee></memtune>"],
  ['missing element', null],
  ['empty element', '<memtune/>'],
  ['empty element with white space', '<memtune>\n  </memtune>'],
  ['empty limit element', '<memtune><hard_limit/></memtune>'],
  ['empty limit with a unit', "<memtune><hard_limit unit='KiB'></hard_limit><soft_limit>7</soft_limit></memtune>"],
  ['all four, reversed',
    "<memtune><swap_hard_limit unit='M'>4</swap_hard_limit><min_guarantee>1</min_guarantee><soft_limit unit='M'>2</soft_limit><hard_limit unit='M'>3</hard_limit></memtune>"],
  ['any order', "<memtune><swap_hard_limit>40</swap_hard_limit><soft_limit>20</soft_limit></memtune>"],
  ['repeated child: the first counts', '<memtune><hard_limit>1</hard_limit><hard_limit>2</hard_limit></memtune>'],
  ['unknown child', '<memtune><x>1</x><hard_limit>3</hard_limit></memtune>'],
  ['leading white space', '<memtune><hard_limit> 5</hard_limit></memtune>'],
  ['leading plus and zero', '<memtune><hard_limit>+010</hard_limit></memtune>'],
  ['overflow EiB', "<memtune><hard_limit unit='EiB'>9</hard_limit></memtune>"],
  ['overflow EB', "<memtune><hard_limit unit='EB'>10</hard_limit></memtune>"],
  ['overflow without unit', '<memtune><hard_limit>9007199254740992</hard_limit></memtune>'],
  ['overflow in bytes', "<memtune><hard_limit unit='b'>9223372036854774785</hard_limit></memtune>"],
  ['overflow at ULLONG_MAX', "<memtune><soft_limit unit='kib'>18446744073709551615</soft_limit></memtune>"],
  ['guarantee overflow', '<memtune><min_guarantee>9007199254740992</min_guarantee></memtune>'],
  ['guarantee overflow in bytes', "<memtune><min_guarantee unit='b'>9223372036854775807</min_guarantee></memtune>"],
  ['negative', '<memtune><hard_limit>-5</hard_limit></memtune>'],
  ['negative zero', '<memtune><swap_hard_limit>-0</swap_hard_limit></memtune>'],
  ['negative with unit', "<memtune><soft_limit unit='G'>-1</soft_limit></memtune>"],
  ['beyond 64 bits', '<memtune><hard_limit>18446744073709551616</hard_limit></memtune>'],
  ['not a number', '<memtune><hard_limit>abc</hard_limit></memtune>'],
  ['fraction', '<memtune><hard_limit>1.5</hard_limit></memtune>'],
  ['hexadecimal', "<memtune><hard_limit unit='KiB'>0x10</hard_limit></memtune>"],
  ['trailing white space', '<memtune><hard_limit>5 </hard_limit></memtune>'],
  ['unknown unit', "<memtune><hard_limit unit='furlongs'>5</hard_limit></memtune>"],
  ['unknown unit ki', "<memtune><soft_limit unit='ki'>5</soft_limit></memtune>"],
];

function doc(i: number, memtune: string | null): string {
  return `<domain type='test'><name>mt-${process.pid}-${i}</name><memory>1048576</memory>` +
    `<os><type>hvm</type></os>${memtune ?? ''}</domain>`;
}

interface Outcome {
  ok: boolean;
  memtune?: string;
  code?: number;
  domain?: number;
  message?: string;
}

function memtuneOf(xml: string): string {
  return /^ {2}<memtune>\n[\s\S]*?^ {2}<\/memtune>\n/m.exec(xml)?.[0] ?? '';
}

function ours(xml: string, validate: boolean): Outcome {
  try {
    return { ok: true, memtune: memtuneOf(formatDomainXML(parseDomainXML(xml, { validate }))) };
  } catch (e) {
    if (!(e instanceof VirError)) throw e;
    return { ok: false, code: e.code, domain: e.domain, message: e.message };
  }
}

describe.skipIf(skipUnless('python-libvirt', 'virt-xml-validate'))('memtune XML against libvirt', () => {
  let libvirt: Outcome[] = [];
  let schemaAccepts: boolean[] = [];

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), `virtune-memtune-${process.pid}-`));
    try {
      schemaAccepts = VARIANTS.map(([, m], i) => libvirtSchemaAccepts(dir, `v${i}`, doc(i, m)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    libvirt = keptByLibvirt(VARIANTS.map(([, m], i) => doc(i, m))).map((r) =>
      r.ok ? { ok: true, memtune: memtuneOf(r.xml) } : { ok: false, code: r.code, domain: r.domain, message: r.message },
    );
  });

  it('covers at least 25 variants: successes, failures, and documents only libvirt\'s schema refuses', () => {
    expect(VARIANTS.length).toBeGreaterThanOrEqual(25);
    expect(libvirt.filter((r) => r.ok).length).toBeGreaterThan(10);
    expect(libvirt.filter((r) => !r.ok).length).toBeGreaterThan(8);
    expect(libvirt.filter((r, i) => r.ok && !schemaAccepts[i]).length).toBeGreaterThan(4);
  });

  // Without validation virtune reads what libvirt's define reads. With validation it also refuses what
  // libvirt's schema refuses; what that schema accepts gives libvirt's define result, printed <memtune> or error.
  it.each(VARIANTS.map(([label], i) => [label, i] as const))('%s', (_label, i) => {
    const xml = doc(i, VARIANTS[i]![1]);
    expect(ours(xml, false)).toEqual(libvirt[i]);
    const validated = ours(xml, true);
    if (schemaAccepts[i]) expect(validated).toEqual(libvirt[i]);
    else if (libvirt[i]!.ok) expect(validated.message).toMatch(/^XML document failed to validate against schema/);
    else expect(validated).toEqual(libvirt[i]);
  });

  it("keeps virtune's <swap_soft_limit>, which libvirt ignores and its schema refuses", () => {
    const xml = doc(VARIANTS.length, "<memtune><swap_soft_limit unit='M'>3</swap_soft_limit><hard_limit>9</hard_limit></memtune>");
    expect(ours(xml, true).memtune).toBe(
      "  <memtune>\n    <hard_limit unit='KiB'>9</hard_limit>\n    <swap_soft_limit unit='KiB'>3072</swap_soft_limit>\n  </memtune>\n",
    );
    expect(ours(xml.replace(/<swap_soft_limit.*?<\/swap_soft_limit>/, ''), true).memtune).toBe(
      "  <memtune>\n    <hard_limit unit='KiB'>9</hard_limit>\n  </memtune>\n",
    );
  });
});
