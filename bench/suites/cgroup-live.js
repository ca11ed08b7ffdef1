// Item 4: a live setMemoryParameters on a running domain with a real cgroup v1 memory cgroup, against the raw
// floor: the domain's own memory.limit_in_bytes written and read back directly with synchronous fs calls. A
// second row sets the call beside a floor of the write alone, which is all the driver does for this change.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { calibratedRates, median, recordingCpu, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { onInterrupt } from '../lib/cleanup.js';
import { domainCgroupDir, lxcDomainXML, qemuDomainXML, tempDir, uniqueName, withDefinedDomain } from '../lib/live-domain.js';
import { ullongParam } from '../lib/virtune.js';

const V1_MEMORY = '/sys/fs/cgroup/memory';
/** Two hard limits, both far above what a sleeping container or an idle QEMU uses, so no write meets EBUSY. */
const HARD_LIMITS_KIB = [786432, 1048576];
const AFFECT_LIVE = 1;

export async function run(ctx) {
  const rounds = ctx.quick ? 2 : 7;
  const roundSeconds = ctx.quick ? 0.05 : 0.3;
  const minN = ctx.quick ? 20 : 100;
  const floorMissing = floorUnavailable();
  // Only when no domain runs: the floor in a cgroup of our own, so the reference still has a figure.
  let ownFloor = null;
  const forget = onInterrupt(() => ownFloor && rmdirSync(ownFloor));
  try {
    const cpu = { a: [], b: [], c: [] };
    const measure = (dom, dir) =>
      calibratedRates({
        rounds,
        roundSeconds,
        minN,
        // As the define rows: V8 optimizes the driver's path only after thousands of calls; a batch sized from
        // 100 cold calls left every round of the driver's side mostly unoptimized on a loaded machine.
        warmupSeconds: ctx.quick ? 0 : 1,
        sides: {
          a: recordingCpu(dom && ((n) => liveSetBatch(ctx.virtune, dom, n)), cpu.a),
          b: recordingCpu(dir && ((n) => floorBatch(dir, n, true)), cpu.b),
          c: recordingCpu(dir && ((n) => floorBatch(dir, n, false)), cpu.c),
        },
      });
    const viaDriver = ctx.virtune && !floorMissing ? await onRunningDomain(ctx, measure) : null;
    if (!viaDriver?.figures && !floorMissing) ownFloor = createFloorCgroup();
    const r = viaDriver?.figures ?? (await measure(null, ownFloor));
    const where = viaDriver?.figures ? `the running ${viaDriver.driver} domain's own memory.limit_in_bytes` : 'memory.limit_in_bytes of a cgroup v1 of our own (no domain could run)';
    const perOp = (rates) => (rates?.length ? 1e6 / median(rates) : null);
    const cpuPerOp = (list, rates) => (rates?.length ? median(list.slice(-rates.length)) : null);
    const detail = `dom.setMemoryParameters([hard_limit], AFFECT_LIVE) on a running ${viaDriver?.driver ?? 'lxc/qemu'} domain, ~${roundSeconds} s per round (${r.sizes.a ?? '-'} / ${r.sizes.b ?? '-'} / ${r.sizes.c ?? '-'} ops), median of ${rounds} rounds after a warm-up`;
    const notes = [ctx.virtuneMissing, floorMissing && `reference: ${floorMissing}`, viaDriver?.note, noteFor('virtune', r.errors.a)];
    return [
      makeResult({
        name: 'cgroup.live-set',
        virtune: perOp(r.a),
        reference: perOp(r.b),
        unit: 'µs/op',
        target: '<= 1.5',
        against: `raw floor: writeFileSync + readFileSync of ${where}`,
        detail,
        note: joinNotes(...notes, noteFor('reference', r.errors.b)),
      }),
      // The driver writes the one file and reads none (it remembers the limits), so this floor is the stricter one.
      makeResult({
        name: 'cgroup.live-set.vs-write',
        virtune: perOp(r.a),
        reference: perOp(r.c),
        unit: 'µs/op',
        against: `write-only floor: writeFileSync of ${where}`,
        detail,
        note: joinNotes(...notes, noteFor('reference', r.errors.c)),
      }),
      // The same rounds in CPU time: under load a busy process mostly waits for a core, which wall time counts.
      makeResult({
        name: 'cgroup.live-set.cpu',
        virtune: cpuPerOp(cpu.a, r.a),
        reference: cpuPerOp(cpu.b, r.b),
        unit: 'µs/op',
        against: `CPU time (user + system) of the raw floor: writeFileSync + readFileSync of ${where}`,
        detail,
        note: joinNotes(...notes, noteFor('reference', r.errors.b)),
      }),
    ];
  } finally {
    forget();
    if (ownFloor) rmdirSync(ownFloor);
  }
}

function floorUnavailable() {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!existsSync(`${V1_MEMORY}/memory.limit_in_bytes`)) return 'no cgroup v1 memory controller';
  return null;
}

function createFloorCgroup() {
  const dir = `${V1_MEMORY}/${uniqueName('virtune-bench-floor')}`;
  mkdirSync(dir);
  return dir;
}

/**
 * Seconds for `n` writes of memory.limit_in_bytes in `dir`, each read back when `readBack`, done directly. The
 * file is put back to what it held before, untimed, so the driver's remembered limits stay true.
 */
async function floorBatch(dir, n, readBack) {
  const file = `${dir}/memory.limit_in_bytes`;
  const bytes = HARD_LIMITS_KIB.map((kib) => String(kib * 1024));
  const before = readFileSync(file, 'utf8').trim();
  try {
    return await timeIt(() => {
      for (let i = 0; i < n; i++) {
        writeFileSync(file, bytes[i & 1]);
        if (readBack) readFileSync(file, 'utf8');
      }
    });
  } finally {
    writeFileSync(file, before);
  }
}

/** Seconds for `n` live setMemoryParameters of hard_limit. */
function liveSetBatch(v, dom, n) {
  const params = HARD_LIMITS_KIB.map((kib) => [ullongParam(v, 'hard_limit', kib)]);
  return timeIt(async () => {
    for (let i = 0; i < n; i++) await dom.setMemoryParameters(params[i & 1], AFFECT_LIVE);
  });
}

/**
 * Starts a domain on the first driver that can (LXC, then QEMU), each in a private embed root, runs
 * `fn(dom, cgroupDir)` and
 * tears everything down. Returns `{ figures, driver }`, or `{ note }` when neither driver could run it.
 */
async function onRunningDomain(ctx, fn) {
  const notes = [];
  for (const [driver, xmlFor] of [['lxc', lxcDomainXML], ['qemu', qemuDomainXML]]) {
    const root = tempDir(`virtune-bench-${driver}`);
    try {
      const name = uniqueName('bench');
      const figures = await withDefinedDomain(ctx.virtune, `${driver}:///embed?root=${root.dir}`, xmlFor(name), async (dom) => {
        await dom.create();
        const dir = domainCgroupDir(V1_MEMORY, name, driver);
        if (!dir) throw new Error(`no memory cgroup named ${name}.virtune-${driver}… under ${V1_MEMORY}`);
        return fn(dom, dir);
      });
      return { figures, driver };
    } catch (err) {
      notes.push(noteFor(`virtune ${driver}`, err));
    } finally {
      root.remove();
    }
  }
  return { note: joinNotes(...notes) };
}
