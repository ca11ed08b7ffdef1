// Issue 15 item 9: scheduler and blkio set+get on the test driver against libvirt's test driver through the
// Python binding (pairs/s, target >= 2 as for memory), and a live scheduler change on a running domain's real
// cgroup against the raw floor of writing the one file (target <= 1.5).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { calibratedRates, median, recordingCpu, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { domainCgroupDir, lxcDomainXML, tempDir, uniqueName, withDefinedDomain } from '../lib/live-domain.js';
import { withConnection } from '../lib/virtune.js';

const V1_CPU = '/sys/fs/cgroup/cpu';
const SHARES = [512, 768];
const AFFECT_LIVE = 1;

export async function run(ctx) {
  const rounds = ctx.quick ? 2 : 7;
  const roundSeconds = ctx.quick ? 0.05 : 0.4;
  const minN = ctx.quick ? 500 : 5_000;
  const rows = [];
  for (const family of FAMILIES) {
    const missing = ctx.virtune && !ctx.virtune.Domain?.prototype?.[family.set] ? `virtune: Domain.${family.set} is missing` : null;
    const r = await calibratedRates({
      rounds,
      roundSeconds,
      minN,
      sides: {
        a: ctx.virtune && !missing && ((n) => setGetBatch(ctx.virtune, family, n)),
        b: ctx.worker && (async (n) => (await ctx.worker.request({ op: family.op, n })).seconds),
      },
    });
    rows.push(
      makeResult({
        name: `${family.name}.set+get`,
        virtune: r.a.length ? median(r.a) : null,
        reference: r.b.length ? median(r.b) : null,
        unit: 'pairs/s',
        target: '>= 2',
        against: `libvirt test:///default via python3-libvirt (${family.pyCalls})`,
        detail: `${family.param} alternating, ~${roundSeconds} s per round (${r.sizes.a ?? '-'} / ${r.sizes.b ?? '-'} pairs), median of ${rounds} rounds after a warm-up`,
        note: joinNotes(ctx.virtuneMissing, missing, ctx.workerMissing, noteFor('virtune', r.errors.a), noteFor('reference', r.errors.b)),
      }),
    );
  }
  rows.push(...(await liveSetRows(ctx)));
  return rows;
}

/** The families measured, each with its calls on both sides. */
const FAMILIES = [
  {
    name: 'sched',
    op: 'sched-setget',
    set: 'setSchedulerParameters',
    param: 'weight',
    pyCalls: 'setSchedulerParameters + schedulerParameters',
    values: [50, 51],
    type: 'UINT',
    pair: async (dom, p) => {
      await dom.setSchedulerParameters(p);
      await dom.getSchedulerParameters();
    },
  },
  {
    name: 'blkio',
    op: 'blkio-setget',
    set: 'setBlkioParameters',
    param: 'weight',
    pyCalls: 'setBlkioParameters + blkioParameters',
    values: [300, 301],
    type: 'UINT',
    pair: async (dom, p) => {
      await dom.setBlkioParameters(p, 0);
      await dom.getBlkioParameters(0);
    },
  },
];

/** Seconds for `n` set+get pairs on a fresh connection's `test` domain. */
async function setGetBatch(v, family, n) {
  return withConnection(v, 'test:///default', async (conn) => {
    const dom = await conn.lookupDomainByName('test');
    const params = family.values.map((value) => [{ field: family.param, type: v.TypedParameterType[family.type], value }]);
    return timeIt(async () => {
      for (let i = 0; i < n; i++) await family.pair(dom, params[i & 1]);
    });
  });
}

/**
 * A live setSchedulerParameters of cpu_shares on a running LXC domain, against writing its cpu.shares directly
 * (the one file the driver writes; it reads none); a second row against the write and a read-back of that file,
 * which is what libvirt's own path does to it (virCgroupSetupCpuShares reads the value the kernel holds), and the
 * floor the memory row's target uses.
 */
async function liveSetRows(ctx) {
  const rounds = ctx.quick ? 2 : 7;
  const roundSeconds = ctx.quick ? 0.05 : 0.3;
  const base = { name: 'cgroup.live-set.sched', unit: 'µs/op', target: '<= 1.5', against: 'write-only floor: writeFileSync of the domain\'s own cpu.shares' };
  const readBack = { name: 'cgroup.live-set.sched.vs-write-read', unit: 'µs/op', against: 'write + read-back floor: writeFileSync + readFileSync of the domain\'s own cpu.shares (libvirt\'s virCgroupSetupCpuShares)' };
  const cpuRow = { name: 'cgroup.live-set.sched.cpu', unit: 'µs/op', against: 'CPU time (user + system) of the write-only floor: writeFileSync of the domain\'s own cpu.shares' };
  const none = (note) => [base, readBack, cpuRow].map((row) => makeResult({ ...row, virtune: null, reference: null, note }));
  const unavailable =
    ctx.virtuneMissing ??
    (process.getuid?.() !== 0 ? 'needs root' : !existsSync(`${V1_CPU}/cpu.shares`) ? 'no cgroup v1 cpu controller' : null) ??
    (ctx.virtune.Domain?.prototype?.setSchedulerParameters ? null : 'virtune: Domain.setSchedulerParameters is missing');
  if (unavailable) return none(unavailable);
  const root = tempDir('virtune-bench-sched');
  const name = uniqueName('bench');
  try {
    return await withDefinedDomain(ctx.virtune, `lxc:///embed?root=${root.dir}`, lxcDomainXML(name), async (dom) => {
      await dom.create();
      const dir = domainCgroupDir(V1_CPU, name, 'lxc');
      if (!dir) return none(`no cpu cgroup named ${name}.virtune-lxc… under ${V1_CPU}`);
      const params = SHARES.map((value) => [{ field: 'cpu_shares', type: ctx.virtune.TypedParameterType.ULLONG, value: BigInt(value) }]);
      const cpu = { a: [], b: [], c: [] };
      const r = await calibratedRates({
        rounds,
        roundSeconds,
        minN: ctx.quick ? 20 : 100,
        // As the memory row: V8 optimizes the driver's path only after thousands of calls.
        warmupSeconds: ctx.quick ? 0 : 1,
        sides: {
          a: recordingCpu(
            (n) =>
              timeIt(async () => {
                for (let i = 0; i < n; i++) await dom.setSchedulerParameters(params[i & 1], AFFECT_LIVE);
              }),
            cpu.a,
          ),
          b: recordingCpu((n) => floorBatch(`${dir}/cpu.shares`, n, false), cpu.b),
          c: (n) => floorBatch(`${dir}/cpu.shares`, n, true),
        },
      });
      const perOp = (rates) => (rates?.length ? 1e6 / median(rates) : null);
      const cpuPerOp = (list, rates) => (rates?.length ? median(list.slice(-rates.length)) : null);
      const detail = `dom.setSchedulerParameters([cpu_shares], AFFECT_LIVE) on a running lxc domain, ~${roundSeconds} s per round (${r.sizes.a ?? '-'} / ${r.sizes.b ?? '-'} / ${r.sizes.c ?? '-'} ops), median of ${rounds} rounds after a warm-up`;
      return [
        makeResult({ ...base, virtune: perOp(r.a), reference: perOp(r.b), detail, note: joinNotes(noteFor('virtune', r.errors.a), noteFor('reference', r.errors.b)) }),
        makeResult({ ...readBack, virtune: perOp(r.a), reference: perOp(r.c), detail, note: joinNotes(noteFor('virtune', r.errors.a), noteFor('reference', r.errors.c)) }),
        // The same rounds in CPU time: under load a busy process mostly waits for a core, which wall time counts.
        makeResult({ ...cpuRow, virtune: cpuPerOp(cpu.a, r.a), reference: cpuPerOp(cpu.b, r.b), detail, note: joinNotes(noteFor('virtune', r.errors.a), noteFor('reference', r.errors.b)) }),
      ];
    });
  } catch (err) {
    return none(noteFor('virtune lxc', err));
  } finally {
    root.remove();
  }
}

/** Seconds for `n` direct writes of `file` (each read back when `readBack`), put back to what it held afterwards (untimed). */
async function floorBatch(file, n, readBack) {
  const before = readFileSync(file, 'utf8').trim();
  const values = SHARES.map(String);
  try {
    return await timeIt(() => {
      for (let i = 0; i < n; i++) {
        writeFileSync(file, values[i & 1]);
        if (readBack) readFileSync(file, 'utf8');
      }
    });
  } finally {
    writeFileSync(file, before);
  }
}
