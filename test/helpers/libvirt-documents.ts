import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { VirError } from '../../src/errors.js';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { keptByLibvirt, type Kept } from './libvirt-oracle.js';

/** A document libvirt accepts: label, body; `false` third marks one libvirt's schema (and virtune's) refuses. */
export type AcceptedDoc = [label: string, body: string, validate?: false];
/** A document libvirt refuses: label, body. */
export type RefusedDoc = [label: string, body: string];

/**
 * The tests of whole documents beside libvirt's test driver, for use inside a `describe`: each refused document
 * is refused by virtune with libvirt's code, domain and message (with and without validation); each accepted one
 * is printed by virtune exactly as libvirt prints it (`<uuid>` taken from libvirt's when the body has none).
 * With `rereadLibvirtOutput`, libvirt's output must also read back to the same definition.
 */
export function matchLibvirtOnDocuments(
  docs: readonly AcceptedDoc[],
  refused: readonly RefusedDoc[],
  doc: (i: number, body: string) => string,
  opts: { rereadLibvirtOutput?: boolean; acceptedTitle?: string } = {},
): void {
  let libvirt: Kept[] = [];
  const all = [...docs, ...refused].map(([, body], i) => doc(i, body));

  beforeAll(() => {
    libvirt = keptByLibvirt(all);
  });

  it.each(refused.map(([label], i) => [label, docs.length + i] as const))('refuses %s as libvirt does', (_label, i) => {
    const lv = libvirt[i]!;
    if (lv.ok) throw new Error(`libvirt accepted ${all[i]}`);
    for (const validate of [false, true]) {
      let got: unknown = 'accepted';
      try {
        parseDomainXML(all[i]!, { validate });
      } catch (e) {
        if (!(e instanceof VirError)) throw e;
        got = { ok: false, code: e.code, domain: e.domain, message: e.message };
      }
      expect(got).toEqual({ ok: false, code: lv.code, domain: lv.domain, message: lv.message });
    }
  });

  it.each(docs.map(([label], i) => [label, i] as const))(opts.acceptedTitle ?? '%s', (_label, i) => {
    const lv = libvirt[i]!;
    if (!lv.ok) throw new Error(`libvirt refused it: ${lv.message}`);
    const validate = docs[i]![2] ?? true;
    const def = parseDomainXML(all[i]!, { validate });
    // A document without <uuid> gets a random one on each side; compare with libvirt's.
    const xml = formatDomainXML({ ...def, uuid: /<uuid>([^<]+)<\/uuid>/.exec(lv.xml)![1]! }, { inactive: true });
    expect(xml).toBe(lv.xml);
    if (opts.rereadLibvirtOutput) expect(parseDomainXML(lv.xml, { validate })).toEqual({ ...def, uuid: expect.any(String) });
  });
}

/** libvirt's own schema's verdict on a domain document (`virt-xml-validate FILE domain`), written to `dir`. */
export function libvirtSchemaAccepts(dir: string, name: string, xml: string): boolean {
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync('virt-xml-validate', [file, 'domain'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
