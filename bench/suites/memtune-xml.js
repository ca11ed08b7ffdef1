// Item 3: <memtune> parse / format / validate alone, per second, and whole-document validation against
// libvirt's own schema (the check virt-xml-validate makes) as the one step libvirt has a counterpart for.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MEMTUNE_XML, REALISTIC_DOMAIN_XML, nextVariants, realisticDomainVariant } from '../lib/fixtures.js';
import { measureRate, median } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';

const LIBVIRT_DOMAIN_RNG = '/usr/share/libvirt/schemas/domain.rng';
const NO_COUNTERPART = 'libvirt has no public call for <memtune> alone';
const libxmljs = createRequire(import.meta.url)('libxmljs2');
/** Schema validation alone is internal (its argument is a libxmljs2 document): measured from its module in dist/. */
const VALIDATE_MODULE = new URL('../../dist/xml/validate.js', import.meta.url).href;

export async function run(ctx) {
  const rounds = ctx.quick ? 2 : 5;
  const minSeconds = ctx.quick ? 0.02 : 0.2;
  const v = ctx.virtune;
  const { validateAgainst } = v ? await import(VALIDATE_MODULE) : {};
  /** Median ops/s of `fn` over the rounds, or the error that stopped it (null figure without virtune). */
  const rate = (make) => {
    try {
      const fn = v ? make() : null;
      if (!fn) return { value: null, error: null };
      const figures = [];
      for (let r = 0; r < rounds; r++) figures.push(measureRate(fn, minSeconds));
      return { value: median(figures), error: null };
    } catch (error) {
      return { value: null, error };
    }
  };
  const row = (name, ours, detail, reference = null, against = undefined) =>
    makeResult({
      name,
      virtune: ours.value,
      reference: reference?.value ?? null,
      unit: 'ops/s',
      against,
      detail: `${detail}, median of ${rounds} rounds`,
      note: joinNotes(ctx.virtuneMissing, noteFor('virtune', ours.error), noteFor('reference', reference?.error), against ? undefined : NO_COUNTERPART),
    });

  const parse = rate(() => {
    v.parseMemtune(MEMTUNE_XML, { validate: false });
    return () => v.parseMemtune(MEMTUNE_XML, { validate: false });
  });
  const format = rate(() => {
    const mt = v.parseMemtune(MEMTUNE_XML, { validate: false });
    return () => v.formatMemtune(mt);
  });
  const validate = rate(() => {
    const doc = libxmljs.parseXml(MEMTUNE_XML);
    validateAgainst(doc, 'memtune');
    return () => validateAgainst(doc, 'memtune');
  });
  // Each call gets a document with another MAC address, a new shape, so virtune's validation cache cannot answer
  // for the schema: this is the cost of validation itself.
  const domain = rate(() => {
    v.validateDomainXML(REALISTIC_DOMAIN_XML);
    return () => v.validateDomainXML(realisticDomainVariant(nextVariants(1), 'mac'));
  });
  let libvirtSchema;
  try {
    libvirtSchema = { value: libvirtSchemaRate(Math.min(rounds, 3), minSeconds), error: null };
  } catch (error) {
    libvirtSchema = { value: null, error };
  }
  return [
    row('memtune.parse', parse, "parseMemtune(xml, { validate: false }) of a 3-limit <memtune>"),
    row('memtune.format', format, 'formatMemtune of the parsed element'),
    row('memtune.validate', validate, "validateAgainst(doc, 'memtune'): schemas/memtune.rng on a parsed document"),
    row(
      'domain.validate',
      domain,
      'validateDomainXML of the realistic domain (MAC varied per call: no cache hit) against our schemas/domain.rng',
      libvirtSchema,
      `libxmljs2 rngValidate of the same document against libvirt's ${LIBVIRT_DOMAIN_RNG}`,
    ),
  ];
}

/** Validations per second of the realistic document against libvirt's installed domain.rng, as xmllint does. */
function libvirtSchemaRate(rounds, minSeconds) {
  const schema = libxmljs.parseXml(readFileSync(LIBVIRT_DOMAIN_RNG, 'utf8'), { baseUrl: LIBVIRT_DOMAIN_RNG });
  const check = () => {
    const doc = libxmljs.parseXml(realisticDomainVariant(nextVariants(1), 'mac'));
    if (!doc.rngValidate(schema)) throw new Error(`libvirt's schema rejects the fixture: ${doc.validationErrors[0]?.message}`);
  };
  check();
  const figures = [];
  for (let r = 0; r < rounds; r++) figures.push(measureRate(check, minSeconds));
  return median(figures);
}
