// Item 4: a live setMemoryParameters on a running domain with a real cgroup v1 memory cgroup, against the raw
// floor: the same cgroup file written and read back directly with synchronous fs calls, in a cgroup of our own.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { calibratedRates, median, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { onInterrupt } from '../lib/cleanup.js';
import { lxcDomainXML, qemuDomainXML, tempDir, uniqueName, withDefinedDomain } from '../lib/live-domain.js';
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
  const floor = floorMissing ? null : createFloorCgroup();
  const forget = onInterrupt(() => floor && rmdirSync(floor));
  try {
    const measure = (dom) =>
      calibratedRates({
        rounds,
        roundSeconds,
        minN,
        sides: { a: dom && ((n) => liveSetBatch(ctx.virtune, dom, n)), b: floor && ((n) => floorBatch(floor, n)) },
      });
    const viaDriver = ctx.virtune ? await onRunningDomain(ctx, measure) : null;
    const r = viaDriver?.figures ?? (await measure(null));
    const perOp = (rates) => (rates.length ? 1e6 / median(rates) : null);
    return [
      makeResult({
        name: 'cgroup.live-set',
        virtune: perOp(r.a),
        reference: perOp(r.b),
        unit: 'µs/op',
        target: '<= 1.5',
        against: 'raw floor: writeFileSync + readFileSync of memory.limit_in_bytes in a cgroup v1 of our own',
        detail: `dom.setMemoryParameters([hard_limit], AFFECT_LIVE) on a running ${viaDriver?.driver ?? 'lxc/qemu'} domain, ~${roundSeconds} s per round (${r.sizes.a ?? '-'} / ${r.sizes.b ?? '-'} ops), median of ${rounds} rounds after a warm-up`,
        note: joinNotes(ctx.virtuneMissing, floorMissing && `reference: ${floorMissing}`, viaDriver?.note, noteFor('virtune', r.errorA), noteFor('reference', r.errorB)),
      }),
    ];
  } finally {
    forget();
    if (floor) rmdirSync(floor);
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

/** Seconds for `n` write+read pairs of memory.limit_in_bytes, done directly. */
function floorBatch(dir, n) {
  const file = `${dir}/memory.limit_in_bytes`;
  const bytes = HARD_LIMITS_KIB.map((kib) => String(kib * 1024));
  return timeIt(() => {
    for (let i = 0; i < n; i++) {
      writeFileSync(file, bytes[i & 1]);
      readFileSync(file, 'utf8');
    }
  });
}

/** Seconds for `n` live setMemoryParameters of hard_limit. */
function liveSetBatch(v, dom, n) {
  const params = HARD_LIMITS_KIB.map((kib) => [ullongParam(v, 'hard_limit', kib)]);
  return timeIt(async () => {
    for (let i = 0; i < n; i++) await dom.setMemoryParameters(params[i & 1], AFFECT_LIVE);
  });
}

/**
 * Starts a domain on the first driver that can (LXC, then QEMU), each in a private embed root, runs `fn(dom)` and
 * tears everything down. Returns `{ figures, driver }`, or `{ note }` when neither driver could run it.
 */
async function onRunningDomain(ctx, fn) {
  const notes = [];
  for (const [driver, xmlFor] of [['lxc', lxcDomainXML], ['qemu', qemuDomainXML]]) {
    const root = tempDir(`virtune-bench-${driver}`);
    try {
      const figures = await withDefinedDomain(ctx.virtune, `${driver}:///embed?root=${root.dir}`, xmlFor(uniqueName('bench')), async (dom) => {
        await dom.create();
        return fn(dom);
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
