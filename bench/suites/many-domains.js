// Item 5: 10,000 defined domains — define all, list all, look each up by name — against libvirt's test driver.
import { SMALL_DOMAIN_TEMPLATE, smallDomainDocs, smallDomainName } from '../lib/fixtures.js';
import { interleave, median, secondsSince } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { withConnection } from '../lib/virtune.js';

const STEPS = ['define', 'list', 'lookup'];

export async function run(ctx) {
  const n = ctx.quick ? 500 : 10_000;
  const rounds = ctx.quick ? 1 : 3;
  const docs = smallDomainDocs(n);
  const { a, b, errorA, errorB } = await interleave(rounds, {
    a: ctx.virtune && (() => virtuneRound(ctx.virtune, docs)),
    b: ctx.worker && (() => ctx.worker.request({ op: 'many', n, template: SMALL_DOMAIN_TEMPLATE })),
  });
  return STEPS.map((step) =>
    makeResult({
      name: `domains.${step}-all`,
      virtune: a.length ? median(a.map((f) => f[step] * 1000)) : null,
      reference: b.length ? median(b.map((f) => f[step] * 1000)) : null,
      unit: 'ms',
      target: '<= 1',
      against: 'libvirt test:///default via python3-libvirt',
      detail: `${n} small domains (bench/fixtures/small-domain.xml), ${stepText(step)}, median of ${rounds} rounds`,
      note: joinNotes(ctx.virtuneMissing, ctx.workerMissing, noteFor('virtune', errorA), noteFor('reference', errorB)),
    }),
  );
}

function stepText(step) {
  if (step === 'define') return 'defineDomainXML of each';
  if (step === 'list') return 'one listAllDomains(0)';
  return 'lookupDomainByName of each';
}

async function virtuneRound(v, docs) {
  return withConnection(v, 'test:///default', async (conn) => {
    let start = process.hrtime.bigint();
    for (const doc of docs) await conn.defineDomainXML(doc, 0);
    const define = secondsSince(start);
    start = process.hrtime.bigint();
    const listed = await conn.listAllDomains(0);
    const list = secondsSince(start);
    if (listed.length < docs.length) throw new Error(`listAllDomains returned ${listed.length} of ${docs.length} domains`);
    start = process.hrtime.bigint();
    for (let i = 0; i < docs.length; i++) await conn.lookupDomainByName(smallDomainName(i));
    const lookup = secondsSince(start);
    return { define, list, lookup };
  });
}
