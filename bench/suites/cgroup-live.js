// Item 4: a live setMemoryParameters on a running domain with a real cgroup v1 memory cgroup, against the raw
// floor: the same cgroup file written and read back directly with synchronous fs calls, in a cgroup of our own.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { interleave, median, timeIt } from '../lib/stats.js';
import { joinNotes, makeResult, noteFor } from '../lib/result.js';
import { lxcDomainXML, qemuDomainXML, tempDir, uniqueName, withDefinedDomain } from '../lib/live-domain.js';
import { ullongParam } from '../lib/virtune.js';

const V1_MEMORY = '/sys/fs/cgroup/memory';
/** Two hard limits, both far above what a sleeping container or an idle QEMU uses, so no write meets EBUSY. */
const HARD_LIMITS_KIB = [786432, 1048576];
const AFFECT_LIVE = 1;

export async function run(ctx) {
  const n = ctx.quick ? 200 : 5_000;
  const rounds = ctx.quick ? 2 : 7;
  const floorMissing = floorUnavailable();
  const floor = floorMissing ? null : createFloorCgroup();
  try {
    const viaDriver = ctx.virtune ? await onRunningDomain(ctx, (dom) => liveSetRound(ctx.virtune, dom, n, rounds, floor)) : null;
    const figures = viaDriver?.figures ?? (floor ? await interleave(rounds, { b: () => floorRound(floor, n) }) : null);
    return [
      makeResult({
        name: 'cgroup.live-set',
        virtune: figures?.a.length ? median(figures.a) : null,
        reference: figures?.b.length ? median(figures.b) : null,
        unit: 'µs/op',
        target: '<= 1.5',
        against: 'raw floor: writeFileSync + readFileSync of memory.limit_in_bytes in a cgroup v1 of our own',
        detail: `dom.setMemoryParameters([hard_limit], AFFECT_LIVE) on a running ${viaDriver?.driver ?? 'lxc/qemu'} domain, ${n} per round, median of ${rounds} rounds`,
        note: joinNotes(ctx.virtuneMissing, floorMissing && `reference: ${floorMissing}`, viaDriver?.note, noteFor('virtune', figures?.errorA), noteFor('reference', figures?.errorB)),
      }),
    ];
  } finally {
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

/** µs per write+read pair of memory.limit_in_bytes, done directly. */
async function floorRound(dir, n) {
  const file = `${dir}/memory.limit_in_bytes`;
  const bytes = HARD_LIMITS_KIB.map((kib) => String(kib * 1024));
  const seconds = await timeIt(() => {
    for (let i = 0; i < n; i++) {
      writeFileSync(file, bytes[i & 1]);
      readFileSync(file, 'utf8');
    }
  });
  return (seconds / n) * 1e6;
}

/** µs per live setMemoryParameters, alternating with the floor round by round. */
async function liveSetRound(v, dom, n, rounds, floor) {
  const params = HARD_LIMITS_KIB.map((kib) => [ullongParam(v, 'hard_limit', kib)]);
  return interleave(rounds, {
    a: async () => {
      const seconds = await timeIt(async () => {
        for (let i = 0; i < n; i++) await dom.setMemoryParameters(params[i & 1], AFFECT_LIVE);
      });
      return (seconds / n) * 1e6;
    },
    b: floor && (() => floorRound(floor, n)),
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
