import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { VirError } from '../../src/errors.js';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { skipUnless } from '../helpers/prereq.js';

/**
 * Defines the same `<memtune>` variants in libvirt's test driver (through its Python binding) and in virtune,
 * and compares the printed `<memtune>` or the error (code, domain, message).
 */
const VARIANTS: Array<[label: string, memtune: string | null, schemaRejects?: boolean]> = [
  ['no unit', '<memtune><hard_limit>1048576</hard_limit></memtune>'],
  ['KiB', "<memtune><hard_limit unit='KiB'>2048</hard_limit></memtune>"],
  ['k', "<memtune><soft_limit unit='k'>3</soft_limit></memtune>"],
  ['KB is 1000', "<memtune><soft_limit unit='KB'>2000</soft_limit></memtune>"],
  ['M', "<memtune><hard_limit unit='M'>512</hard_limit></memtune>"],
  ['MB rounds up', "<memtune><hard_limit unit='MB'>1</hard_limit></memtune>"],
  ['G', "<memtune><swap_hard_limit unit='G'>2</swap_hard_limit></memtune>"],
  ['GiB upper case', "<memtune><swap_hard_limit unit='GIB'>3</swap_hard_limit></memtune>"],
  ['bytes round up', "<memtune><hard_limit unit='B'>1023</hard_limit></memtune>"],
  ['bytes 1025', "<memtune><hard_limit unit='bytes'>1025</hard_limit></memtune>"],
  ['Bytes mixed case', "<memtune><min_guarantee unit='Bytes'>1</min_guarantee></memtune>"],
  ['T', "<memtune><hard_limit unit='T'>1</hard_limit></memtune>"],
  ['PB', "<memtune><hard_limit unit='PB'>1</hard_limit></memtune>"],
  ['E 7', "<memtune><hard_limit unit='E'>7</hard_limit></memtune>"],
  ['EB 9 fits', "<memtune><hard_limit unit='EB'>9</hard_limit></memtune>"],
  ['zero limit is printed', '<memtune><hard_limit>0</hard_limit></memtune>'],
  ['zero guarantee is omitted', '<memtune><min_guarantee>0</min_guarantee><soft_limit>5</soft_limit></memtune>'],
  ['unlimited is omitted', '<memtune><hard_limit>9007199254740991</hard_limit></memtune>'],
  ['just below unlimited', '<memtune><soft_limit>9007199254740990</soft_limit></memtune>'],
  ['largest guarantee', '<memtune><min_guarantee>9007199254740991</min_guarantee></memtune>'],
  ['missing element', null],
  ['empty element', '<memtune/>'],
  ['all four, reversed',
    "<memtune><swap_hard_limit unit='M'>4</swap_hard_limit><min_guarantee>1</min_guarantee><soft_limit unit='M'>2</soft_limit><hard_limit unit='M'>3</hard_limit></memtune>"],
  ['any order', "<memtune><swap_hard_limit>40</swap_hard_limit><soft_limit>20</soft_limit></memtune>"],
  // libvirt's define reads '+010' as 10; its schema (virt-xml-validate) rejects the '+', and so does ours.
  ['leading plus and zero', '<memtune><hard_limit>+010</hard_limit></memtune>', true],
  ['overflow EiB', "<memtune><hard_limit unit='EiB'>9</hard_limit></memtune>"],
  ['overflow EB', "<memtune><hard_limit unit='EB'>10</hard_limit></memtune>"],
  ['overflow without unit', '<memtune><hard_limit>9007199254740992</hard_limit></memtune>'],
  ['overflow in bytes', "<memtune><hard_limit unit='b'>9223372036854774785</hard_limit></memtune>"],
  ['overflow at ULLONG_MAX', "<memtune><soft_limit unit='kib'>18446744073709551615</soft_limit></memtune>"],
  ['guarantee overflow', '<memtune><min_guarantee>9007199254740992</min_guarantee></memtune>'],
  ['negative', '<memtune><hard_limit>-5</hard_limit></memtune>'],
  ['negative zero', '<memtune><swap_hard_limit>-0</swap_hard_limit></memtune>'],
  ['beyond 64 bits', '<memtune><hard_limit>18446744073709551616</hard_limit></memtune>'],
  ['not a number', '<memtune><hard_limit>abc</hard_limit></memtune>'],
  ['fraction', '<memtune><hard_limit>1.5</hard_limit></memtune>'],
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

describe.skipIf(skipUnless('python-libvirt'))('memtune XML against libvirt', () => {
  let libvirt: Outcome[] = [];

  beforeAll(() => {
    const script = fileURLToPath(new URL('../xml/libvirt-oracle.py', import.meta.url));
    const out = execFileSync('/usr/bin/python3', [script], {
      input: JSON.stringify(VARIANTS.map(([, m], i) => doc(i, m))),
      encoding: 'utf8',
      timeout: 60_000,
    });
    libvirt = (JSON.parse(out) as Array<{ ok: boolean; xml?: string; code?: number; domain?: number; message?: string }>).map(
      (r) => (r.ok ? { ok: true, memtune: memtuneOf(r.xml!) } : { ok: false, code: r.code!, domain: r.domain!, message: r.message! }),
    );
  });

  it('covers at least 25 variants, successes and failures', () => {
    expect(VARIANTS.length).toBeGreaterThanOrEqual(25);
    expect(libvirt.filter((r) => r.ok).length).toBeGreaterThan(10);
    expect(libvirt.filter((r) => !r.ok).length).toBeGreaterThan(8);
  });

  it.each(VARIANTS.map(([label], i) => [label, i] as const))('%s', (_label, i) => {
    const [, memtune, schemaRejects] = VARIANTS[i]!;
    const xml = doc(i, memtune);
    expect(ours(xml, false)).toEqual(libvirt[i]);
    if (schemaRejects) expect(ours(xml, true).message).toMatch(/^XML document failed to validate against schema/);
    else expect(ours(xml, true)).toEqual(libvirt[i]);
  });
});
