// Item 2: define + getXMLDesc of a realistic domain, per second, with and without schema validation.
import { REALISTIC_DOMAIN_XML, nextVariants, realisticDomainVariant } from '../lib/fixtures.js';
import { calibratedRates, median, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { withConnection } from '../lib/virtune.js';

/** VIR_DOMAIN_DEFINE_VALIDATE. */
const VALIDATE = 1;

export async function run(ctx) {
  const rounds = ctx.quick ? 2 : 5;
  const roundSeconds = ctx.quick ? 0.05 : 0.4;
  // `vary` (see realisticDomainVariant): 'description' keeps the document's shape, which virtune's validation
  // cache recognizes, as it would for a fleet of domains from one template; 'mac' makes every document a new
  // shape, so the uncached row shows what schema validation itself costs.
  const cases = [
    { name: 'define+xmldesc', flags: 0, vary: 'description', minN: ctx.quick ? 20 : 200, target: '>= 2', what: 'no validation' },
    { name: 'define+xmldesc.validated', flags: VALIDATE, vary: 'description', minN: ctx.quick ? 3 : 20, target: '>= 20', what: 'VIR_DOMAIN_DEFINE_VALIDATE' },
    { name: 'define+xmldesc.validated.new-machine', flags: VALIDATE, vary: 'machine', minN: ctx.quick ? 3 : 20, target: '>= 20', what: 'VIR_DOMAIN_DEFINE_VALIDATE, a different os machine attribute every time' },
    { name: 'define+xmldesc.validated.uncached', flags: VALIDATE, vary: 'mac', minN: ctx.quick ? 3 : 20, target: null, what: 'VIR_DOMAIN_DEFINE_VALIDATE, every document a new shape' },
  ];

  const results = [];
  for (const c of cases) {
    ctx.log(`  ${c.name}`);
    const r = await calibratedRates({
      rounds,
      roundSeconds,
      minN: c.minN,
      warmupSeconds: ctx.quick ? 0 : 1,
      sides: {
        a: ctx.virtune && ((n) => virtuneBatch(ctx.virtune, n, c.flags, c.vary)),
        b: ctx.worker && (async (n) => (await ctx.worker.request({ op: 'define', xml: REALISTIC_DOMAIN_XML, n, flags: c.flags, vary: c.vary, first: nextVariants(n) })).seconds),
      },
    });
    results.push(
      makeResult({
        name: c.name,
        virtune: r.a.length ? median(r.a) : null,
        reference: r.b.length ? median(r.b) : null,
        unit: 'defines/s',
        target: c.target,
        against: `libvirt test:///default via python3-libvirt, defineXMLFlags(xml, ${c.flags}) + XMLDesc(0)`,
        detail: `realistic domain (bench/fixtures/realistic-domain.xml), ${c.vary} varied per define, ${c.what}, ~${roundSeconds} s per round (${r.sizes.a ?? '-'} / ${r.sizes.b ?? '-'} defines), median of ${rounds} rounds after a warm-up`,
        note: joinNotes(ctx.virtuneMissing, ctx.workerMissing, noteFor('virtune', r.errorA), noteFor('reference', r.errorB)),
      }),
    );
  }
  return results;
}

/** Seconds for `n` define + getXMLDesc of the realistic domain (a redefinition after the first). */
async function virtuneBatch(v, n, flags, vary) {
  const first = nextVariants(n);
  return withConnection(v, 'test:///default', (conn) =>
    timeIt(async () => {
      for (let i = first; i < first + n; i++) {
        const dom = await conn.defineDomainXML(realisticDomainVariant(i, vary), flags);
        await dom.getXMLDesc(0);
      }
    }),
  );
}
