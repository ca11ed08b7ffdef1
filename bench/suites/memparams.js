// Item 1: set+get memory parameters on the test driver, pairs/s, against libvirt's test driver.
import { interleave, median, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { ullongParam, withConnection } from '../lib/virtune.js';

const HARD_LIMIT_VALUES = [1048576, 2097152];

export async function run(ctx) {
  const n = ctx.quick ? 2_000 : 20_000;
  const rounds = ctx.quick ? 2 : 7;
  const { a, b, errorA, errorB } = await interleave(rounds, {
    a: ctx.virtune && (() => virtuneRound(ctx.virtune, n)),
    b: ctx.worker && (async () => n / (await ctx.worker.request({ op: 'setget', n })).seconds),
  });
  return [
    makeResult({
      name: 'memparams.set+get',
      virtune: a.length ? median(a) : null,
      reference: b.length ? median(b) : null,
      unit: 'pairs/s',
      target: '>= 2',
      against: "libvirt test:///default via python3-libvirt (setMemoryParameters + memoryParameters)",
      detail: `hard_limit alternating, ${n} pairs per round, median of ${rounds} rounds`,
      note: joinNotes(ctx.virtuneMissing, ctx.workerMissing, noteFor('virtune', errorA), noteFor('reference', errorB)),
    }),
  ];
}

async function virtuneRound(v, n) {
  return withConnection(v, 'test:///default', async (conn) => {
    const dom = await conn.lookupDomainByName('test');
    const params = HARD_LIMIT_VALUES.map((value) => [ullongParam(v, 'hard_limit', value)]);
    const seconds = await timeIt(async () => {
      for (let i = 0; i < n; i++) {
        await dom.setMemoryParameters(params[i & 1], 0);
        await dom.getMemoryParameters(0);
      }
    });
    return n / seconds;
  });
}
