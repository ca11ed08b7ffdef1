// Item 2: define + getXMLDesc of a realistic domain, per second, with and without schema validation.
import { REALISTIC_DOMAIN_XML } from '../lib/fixtures.js';
import { interleave, median, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { withConnection } from '../lib/virtune.js';

/** VIR_DOMAIN_DEFINE_VALIDATE. */
const VALIDATE = 1;

export async function run(ctx) {
  const rounds = ctx.quick ? 2 : 5;
  const cases = [
    { name: 'define+xmldesc', flags: 0, n: ctx.quick ? 200 : 2_000, target: '>= 1', what: 'no validation' },
    { name: 'define+xmldesc.validated', flags: VALIDATE, n: ctx.quick ? 10 : 60, target: '>= 20', what: 'VIR_DOMAIN_DEFINE_VALIDATE' },
  ];
  const results = [];
  for (const c of cases) {
    ctx.log(`  ${c.name}`);
    const { a, b, errorA, errorB } = await interleave(rounds, {
      a: ctx.virtune && (() => virtuneRound(ctx.virtune, c.n, c.flags)),
      b: ctx.worker && (async () => c.n / (await ctx.worker.request({ op: 'define', xml: REALISTIC_DOMAIN_XML, n: c.n, flags: c.flags })).seconds),
    });
    results.push(
      makeResult({
        name: c.name,
        virtune: a.length ? median(a) : null,
        reference: b.length ? median(b) : null,
        unit: 'defines/s',
        target: c.target,
        against: `libvirt test:///default via python3-libvirt, defineXMLFlags(xml, ${c.flags}) + XMLDesc(0)`,
        detail: `realistic domain (bench/fixtures/realistic-domain.xml), ${c.what}, ${c.n} per round, median of ${rounds} rounds`,
        note: joinNotes(ctx.virtuneMissing, ctx.workerMissing, noteFor('virtune', errorA), noteFor('reference', errorB)),
      }),
    );
  }
  return results;
}

async function virtuneRound(v, n, flags) {
  return withConnection(v, 'test:///default', async (conn) => {
    const seconds = await timeIt(async () => {
      for (let i = 0; i < n; i++) {
        const dom = await conn.defineDomainXML(REALISTIC_DOMAIN_XML, flags);
        await dom.getXMLDesc(0);
      }
    });
    return n / seconds;
  });
}
