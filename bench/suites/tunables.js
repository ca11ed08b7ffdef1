// Issue 15 item 9: scheduler and blkio set+get on the test driver against libvirt's test driver through the
// Python binding (pairs/s, target >= 2 as for memory), and a live change of cpu_shares and of the blkio weight on a
// running domain's real cgroup against the raw floor of writing and reading back the one file (target <= 1.5).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { calibratedRates, median, recordingCpu, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { domainCgroupDir, lxcDomainXML, tempDir, uniqueName, withDefinedDomain } from '../lib/live-domain.js';
import { withConnection } from '../lib/virtune.js';

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
 * The live families measured on a running LXC domain's real cgroup v1 files: the one file each change writes, and
 * the values alternated (both far from the defaults, so every call writes).
 */
const LIVE_FAMILIES = [
  {
    name: 'sched',
    root: '/sys/fs/cgroup/cpu',
    file: 'cpu.shares',
    values: [512, 768],
    method: 'setSchedulerParameters',
    call: 'setSchedulerParameters([cpu_shares], AFFECT_LIVE)',
    // libvirt's qemuDomainSetSchedulerParametersFlags: virCgroupSetupCpuShares writes, then reads the value back.
    libvirt: 'virCgroupSetupCpuShares: write, then read back',
    params: (v, value) => [{ field: 'cpu_shares', type: v.TypedParameterType.ULLONG, value: BigInt(value) }],
    set: (dom, p) => dom.setSchedulerParameters(p, AFFECT_LIVE),
  },
  {
    name: 'blkio',
    root: '/sys/fs/cgroup/blkio',
    file: 'blkio.bfq.weight',
    values: [300, 301],
    method: 'setBlkioParameters',
    call: 'setBlkioParameters([weight], AFFECT_LIVE)',
    // libvirt's qemuDomainSetBlkioParameters: virCgroupSetBlkioWeight, then virCgroupGetBlkioWeight.
    libvirt: 'virCgroupSetBlkioWeight, then virCgroupGetBlkioWeight',
    params: (v, value) => [{ field: 'weight', type: v.TypedParameterType.UINT, value }],
    set: (dom, p) => dom.setBlkioParameters(p, AFFECT_LIVE),
  },
];

/**
 * A live change of one value on a running LXC domain, per family (cpu_shares; the blkio weight), against the raw
 * floor of the memory row (cgroup-live.js): the domain's own file written and read back directly, which is also
 * what libvirt's own call does to it (`libvirt` above). Beside it the stricter floor of the write alone (the driver
 * writes the one file and reads none), and the same rounds in CPU time.
 */
async function liveSetRows(ctx) {
  const rows = (family) => [
    { name: `cgroup.live-set.${family.name}`, unit: 'µs/op', target: '<= 1.5', against: `raw floor: writeFileSync + readFileSync of the domain's own ${family.file} (${family.libvirt})` },
    { name: `cgroup.live-set.${family.name}.vs-write`, unit: 'µs/op', against: `write-only floor: writeFileSync of the domain's own ${family.file}` },
    { name: `cgroup.live-set.${family.name}.cpu`, unit: 'µs/op', against: `CPU time (user + system) of the raw floor: writeFileSync + readFileSync of the domain's own ${family.file}` },
  ];
  const none = (family, note) => rows(family).map((row) => makeResult({ ...row, virtune: null, reference: null, note }));
  const noneOfAll = (note) => LIVE_FAMILIES.flatMap((family) => none(family, note));
  const unavailable = ctx.virtuneMissing ?? (process.getuid?.() !== 0 ? 'needs root' : null);
  if (unavailable) return noneOfAll(unavailable);
  const root = tempDir('virtune-bench-live');
  const name = uniqueName('bench');
  try {
    return await withDefinedDomain(ctx.virtune, `lxc:///embed?root=${root.dir}`, lxcDomainXML(name), async (dom) => {
      await dom.create();
      const out = [];
      for (const family of LIVE_FAMILIES) {
        const dir = domainCgroupDir(family.root, name, 'lxc');
        const missing = !ctx.virtune.Domain?.prototype?.[family.method]
          ? `virtune: Domain.${family.method} is missing`
          : !dir
            ? `no cgroup named ${name}.virtune-lxc… under ${family.root}`
            : !existsSync(`${dir}/${family.file}`)
              ? `no ${family.file} in the domain's cgroup`
              : null;
        out.push(...(missing ? none(family, missing) : await measureLiveSet(ctx, dom, family, `${dir}/${family.file}`, rows(family))));
      }
      return out;
    });
  } catch (err) {
    return noneOfAll(noteFor('virtune lxc', err));
  } finally {
    root.remove();
  }
}

/** The rows of one family: the live call (a) against the raw floor (b) and the write alone (c), alternating. */
async function measureLiveSet(ctx, dom, family, file, [base, writeOnly, cpuRow]) {
  const rounds = ctx.quick ? 2 : 7;
  const roundSeconds = ctx.quick ? 0.05 : 0.3;
  const params = family.values.map((value) => family.params(ctx.virtune, value));
  const texts = family.values.map(String);
  const cpu = { a: [], b: [] };
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
            for (let i = 0; i < n; i++) await family.set(dom, params[i & 1]);
          }),
        cpu.a,
      ),
      b: recordingCpu((n) => floorBatch(file, texts, n, true), cpu.b),
      c: (n) => floorBatch(file, texts, n, false),
    },
  });
  const perOp = (rates) => (rates?.length ? 1e6 / median(rates) : null);
  const cpuPerOp = (list, rates) => (rates?.length ? median(list.slice(-rates.length)) : null);
  const detail = `dom.${family.call} on a running lxc domain, ~${roundSeconds} s per round (${r.sizes.a ?? '-'} / ${r.sizes.b ?? '-'} / ${r.sizes.c ?? '-'} ops), median of ${rounds} rounds after a warm-up`;
  const noteOf = (side) => joinNotes(noteFor('virtune', r.errors.a), noteFor('reference', r.errors[side]));
  return [
    makeResult({ ...base, virtune: perOp(r.a), reference: perOp(r.b), detail, note: noteOf('b') }),
    makeResult({ ...writeOnly, virtune: perOp(r.a), reference: perOp(r.c), detail, note: noteOf('c') }),
    // The same rounds in CPU time: under load a busy process mostly waits for a core, which wall time counts.
    makeResult({ ...cpuRow, virtune: cpuPerOp(cpu.a, r.a), reference: cpuPerOp(cpu.b, r.b), detail, note: noteOf('b') }),
  ];
}

/**
 * Seconds for `n` direct writes of `file` (alternating `texts`, each read back when `readBack`), put back to what
 * it held afterwards (untimed), so the driver's remembered values stay true.
 */
async function floorBatch(file, texts, n, readBack) {
  const before = readFileSync(file, 'utf8').trim();
  try {
    return await timeIt(() => {
      for (let i = 0; i < n; i++) {
        writeFileSync(file, texts[i & 1]);
        if (readBack) readFileSync(file, 'utf8');
      }
    });
  } finally {
    writeFileSync(file, restoredText(before));
  }
}

/** What to write back to restore a file read as `text`: blkio.bfq.weight reads `default 100`, and takes `100`. */
function restoredText(text) {
  const m = /^default (\d+)$/m.exec(text);
  return m ? m[1] : text;
}
