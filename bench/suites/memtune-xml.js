// Item 3: <memtune> parse / format / validate alone, per second, and whole-document validation against
// libvirt's own schema (the check virt-xml-validate makes) as the one step libvirt has a counterpart for.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MEMTUNE_XML, REALISTIC_DOMAIN_XML } from '../lib/fixtures.js';
import { measureRate, median } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';

const LIBVIRT_DOMAIN_RNG = '/usr/share/libvirt/schemas/domain.rng';
const NO_COUNTERPART = 'libvirt has no public call for <memtune> alone';

export async function run(ctx) {
  const rounds = ctx.quick ? 2 : 5;
  const minSeconds = ctx.quick ? 0.02 : 0.2;
  const v = ctx.virtune;
  const rate = (fn) => {
    const figures = [];
    for (let r = 0; r < rounds; r++) figures.push(measureRate(fn, minSeconds));
    return median(figures);
  };
  const attempt = (fn) => {
    try {
      return { value: fn(), error: null };
    } catch (error) {
      return { value: null, error };
    }
  };
  const rows = [];
  const row = (name, got, reference, detail, against, extraNote) =>
    rows.push(
      makeResult({
        name,
        virtune: got.value,
        reference: reference?.value ?? null,
        unit: 'ops/s',
        against,
        detail: `${detail}, median of ${rounds} rounds`,
        note: joinNotes(ctx.virtuneMissing, noteFor('virtune', got.error), noteFor('reference', reference?.error), extraNote),
      }),
    );
  const need = (name) => {
    if (!v) return null;
    if (typeof v[name] !== 'function') throw new Error(`${name} is not exported yet`);
    return v[name];
  };

  const parsed = attempt(() => need('parseMemtune')?.(MEMTUNE_XML));
  row('memtune.parse', attempt(() => v && (need('parseMemtune'), rate(() => v.parseMemtune(MEMTUNE_XML)))), null, 'parseMemtune of a 3-limit <memtune>', undefined, NO_COUNTERPART);
  row(
    'memtune.format',
    parsed.error ? parsed : attempt(() => v && (need('formatMemtune'), rate(() => v.formatMemtune(parsed.value)))),
    null,
    'formatMemtune of the parsed element',
    undefined,
    NO_COUNTERPART,
  );
  row(
    'memtune.validate',
    attempt(() => v && (need('validateMemtune'), rate(() => v.validateMemtune(MEMTUNE_XML)))),
    null,
    'validateMemtune against schemas/memtune.rng',
    undefined,
    NO_COUNTERPART,
  );
  const reference = attempt(() => libvirtSchemaRate(rate));
  row(
    'domain.validate',
    attempt(() => v && (need('validateDomainXML'), rate(() => v.validateDomainXML(REALISTIC_DOMAIN_XML)))),
    reference,
    'the realistic domain document against our schemas/domain.rng',
    `libxmljs2 rngValidate against libvirt's ${LIBVIRT_DOMAIN_RNG}`,
  );
  return rows;
}

/** Validations per second of the realistic document against libvirt's installed domain.rng, as xmllint does. */
function libvirtSchemaRate(rate) {
  const libxmljs = createRequire(import.meta.url)('libxmljs2');
  const schema = libxmljs.parseXml(readFileSync(LIBVIRT_DOMAIN_RNG, 'utf8'), { baseUrl: LIBVIRT_DOMAIN_RNG });
  const check = () => {
    const doc = libxmljs.parseXml(REALISTIC_DOMAIN_XML);
    if (!doc.rngValidate(schema)) throw new Error(`libvirt's schema rejects the fixture: ${doc.validationErrors[0]?.message}`);
  };
  check();
  return rate(check);
}

