// Item 1: set+get memory parameters on the test driver, pairs/s, against libvirt's test driver.
import { calibratedRates, median, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { ullongParam, withConnection } from '../lib/virtune.js';

const HARD_LIMIT_VALUES = [1048576, 2097152];

export async function run(ctx) {
  const rounds = ctx.quick ? 2 : 7;
  const r = await calibratedRates({
    rounds,
    roundSeconds: ctx.quick ? 0.05 : 0.4,
    minN: ctx.quick ? 500 : 5_000,
    sides: {
      a: ctx.virtune && ((n) => virtuneBatch(ctx.virtune, n)),
      b: ctx.worker && (async (n) => (await ctx.worker.request({ op: 'setget', n })).seconds),
    },
  });
  return [
    makeResult({
      name: 'memparams.set+get',
      virtune: r.a.length ? median(r.a) : null,
      reference: r.b.length ? median(r.b) : null,
      unit: 'pairs/s',
      target: '>= 2',
      against: 'libvirt test:///default via python3-libvirt (setMemoryParameters + memoryParameters)',
      detail: `hard_limit alternating, ~${ctx.quick ? 0.05 : 0.4} s per round (${r.sizes.a ?? '-'} / ${r.sizes.b ?? '-'} pairs), median of ${rounds} rounds after a warm-up`,
      note: joinNotes(ctx.virtuneMissing, ctx.workerMissing, noteFor('virtune', r.errorA), noteFor('reference', r.errorB)),
    }),
  ];
}

/** Seconds for `n` set+get pairs on a fresh connection's `test` domain. */
async function virtuneBatch(v, n) {
  return withConnection(v, 'test:///default', async (conn) => {
    const dom = await conn.lookupDomainByName('test');
    const params = HARD_LIMIT_VALUES.map((value) => [ullongParam(v, 'hard_limit', value)]);
    return timeIt(async () => {
      for (let i = 0; i < n; i++) {
        await dom.setMemoryParameters(params[i & 1], 0);
        await dom.getMemoryParameters(0);
      }
    });
  });
}
