// `npm run bench:autopilot [-- --json] [-- --intervals N] [-- --interval S] [-- --mom-first] [-- --only-idle]`: Design 2's measurements on real TCG
// guests (docs/autopilot.md). Four idle 512 MiB guests under virtune's policy, then under the MoM-rules baseline
// (pressure assumed: this host has memory to spare, and MoM as published would not act at all); a guest filling
// a tmpfs at a steady rate beside an identical one without autopilot; a guest without its balloon driver; a
// guest grown from 256 MiB to 768 MiB through virtio-mem. Minutes, not seconds: not part of `npm test`.
import { existsSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { onInterrupt } from './lib/cleanup.js';
import { tempDir, uniqueName } from './lib/live-domain.js';
import { GUEST_READY, buildTestGuest, fillDone, guestReport, guestXML } from './lib/test-guest.js';
import { loadVirtune } from './lib/virtune.js';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const JSON_OUT = argv.includes('--json');
const INTERVALS = opt('intervals', 12);
const INTERVAL_S = opt('interval', 5);
const MiB = 1024;
const V1 = '/sys/fs/cgroup/memory';
const log = (m) => process.stderr.write(`${m}\n`);

const { virtune, missing } = await loadVirtune();
if (!virtune) throw new Error(missing);
const guest = buildTestGuest();

/** One private QEMU root: its own cgroup parent, torn down whatever happens. */
async function openRoot(label) {
  const root = tempDir(`virtune-bench-${label}`);
  const parent = uniqueName(`virtune-bench-${label}`);
  const conn = await virtune.openConnection(`qemu:///embed?root=${encodeURIComponent(root.dir)}&cgroup_parent=${parent}`);
  const teardown = async () => {
    for (const d of await conn.listAllDomains(0).catch(() => [])) {
      await d.destroy().catch(() => {});
      await d.undefine().catch(() => {});
    }
    await conn.close().catch(() => {});
    // The domain cgroups span memory and, where the host has them, cpu, cpuacct and blkio: the parent is in each.
    for (const h of ['memory', 'cpu', 'cpuacct', 'blkio']) if (existsSync(`/sys/fs/cgroup/${h}/${parent}`)) rmdirSync(`/sys/fs/cgroup/${h}/${parent}`);
    root.remove();
  };
  const forget = onInterrupt(teardown);
  const serial = (name) => {
    const f = join(root.dir, 'run', 'qemu', `${name}.serial.log`);
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  };
  const usageKiB = (name) => {
    const dir = readdirSync(`${V1}/${parent}`).find((d) => d.startsWith(`${name}.`));
    return Number(readFileSync(`${V1}/${parent}/${dir}/memory.usage_in_bytes`, 'utf8')) / 1024;
  };
  return {
    conn,
    serial,
    usageKiB,
    async start(o) {
      const dom = await conn.defineDomainXML(guestXML(guest, o));
      await dom.create();
      return dom;
    },
    ready: (names, what = GUEST_READY) => until(() => names.every((n) => serial(n).includes(what)), 300_000, `${names.join(', ')}: ${what}`),
    async close() {
      forget();
      await teardown();
    },
  };
}

async function until(check, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a policy for `n` intervals; returns the reports. */
async function pilot(conn, policy, n) {
  const p = new virtune.Autopilot(conn, { policy, intervalS: INTERVAL_S });
  const reports = [];
  for (let i = 0; i < n; i++) {
    const t = Date.now();
    reports.push(await p.step());
    if (i + 1 < n) await new Promise((r) => setTimeout(r, Math.max(0, INTERVAL_S * 1000 - (Date.now() - t))));
  }
  return reports;
}

/** Intervals until steady: one past the last interval that moved a balloon (null if it still moved at the end). */
function intervalsToSteady(reports) {
  const moved = reports.map((r) => r.decisions.some((d) => d.action.kind === 'balloon' && d.applied));
  const last = moved.lastIndexOf(true);
  return last === reports.length - 1 ? null : last + 1;
}

const results = {};

// ---- 1. four idle guests, virtune's policy, then MoM's ----------------------------------------------------
{
  log('1. four idle 512 MiB guests (each wrote and freed 300 MiB): virtune, then MoM (pressure assumed)');
  const r = await openRoot('idle');
  try {
    const names = ['idle1', 'idle2', 'idle3', 'idle4'];
    const doms = [];
    for (const name of names) doms.push(await r.start({ name, memoryMiB: 512, fillMiB: 300, statsPeriod: 2 }));
    await r.ready(names);
    const measure = async (policy) => {
      // Start from the same place: every balloon at 512 MiB, the guests' statistics fresh.
      for (const d of doms) await d.setMemory(512 * MiB, virtune.DOMAIN_AFFECT_LIVE);
      await until(async () => (await Promise.all(doms.map((d) => d.getInfo()))).every((i) => i.memory >= BigInt(512 * MiB - 4)), 120_000, 'balloons back at 512 MiB');
      const usageBefore = names.reduce((s, n) => s + r.usageKiB(n), 0);
      const reports = await pilot(r.conn, policy, INTERVALS);
      const actual = (await Promise.all(doms.map((d) => d.getInfo()))).reduce((s, i) => s + Number(i.memory), 0);
      const usageAfter = names.reduce((s, n) => s + r.usageKiB(n), 0);
      return {
        policy: policy.name,
        balloonReclaimedMiB: Math.round((4 * 512 * MiB - actual) / MiB),
        hostReclaimedMiB: Math.round((usageBefore - usageAfter) / MiB),
        intervalsToSteady: intervalsToSteady(reports),
        guestOomKills: names.reduce((s, n) => s + (guestReport(r.serial(n))?.oomKills ?? 0), 0),
        failedActions: reports.flatMap((x) => x.decisions).filter((d) => d.error).length,
      };
    };
    // The first policy finds the pages the guests freed still resident; the second finds them handed back already,
    // so only the first one's host figure means anything: --mom-first swaps the order.
    const order = argv.includes('--mom-first')
      ? [virtune.momPolicy({ assumePressure: true }), virtune.virtunePolicy()]
      : [virtune.virtunePolicy(), virtune.momPolicy({ assumePressure: true })];
    results.idle = [];
    for (const policy of order) results.idle.push(await measure(policy));
  } finally {
    await r.close();
  }
}

if (argv.includes('--only-idle')) {
  printAndExit();
}

// ---- 2+3. a guest filling a tmpfs beside one without autopilot; a guest without its balloon driver ----------
{
  log('2. a guest filling a tmpfs at 4 MiB/s, with and without autopilot; 3. a guest without its balloon driver');
  const auto = await openRoot('fill-auto');
  const free = await openRoot('fill-free');
  try {
    const fill = { rate: 4, to: 192 };
    await auto.start({ name: 'fill', memoryMiB: 384, fillRate: fill, statsPeriod: 2 });
    await auto.start({ name: 'deaf', memoryMiB: 384, ignoreBalloon: true });
    await free.start({ name: 'fill', memoryMiB: 384, fillRate: fill, statsPeriod: 2 });
    await Promise.all([auto.ready(['fill', 'deaf']), free.ready(['fill'])]);
    const p = new virtune.Autopilot(auto.conn, { policy: virtune.virtunePolicy(), intervalS: INTERVAL_S });
    const reports = [];
    p.on('tick', (t) => reports.push(t));
    p.start();
    try {
      await Promise.all([auto.ready(['fill'], 'fill done'), free.ready(['fill'], 'fill done')]);
      await until(() => reports.some((t) => t.decisions.some((d) => d.name === 'deaf' && d.action.kind === 'hard-limit')), 120_000, 'deaf held');
    } finally {
      await p.stop();
    }
    const a = fillDone(auto.serial('fill'));
    const b = fillDone(free.serial('fill'));
    results.fill = {
      withAutopilot: a,
      without: b,
      slowdownPercent: Math.round((a.busyCs / b.busyCs - 1) * 1000) / 10,
      guestOomKills: guestReport(auto.serial('fill'))?.oomKills ?? 0,
      balloonAtEndMiB: Math.round(Number((await (await auto.conn.lookupDomainByName('fill')).getInfo()).memory) / MiB),
      balloonMoves: reports.flatMap((t) => t.decisions).filter((d) => d.name === 'fill' && d.action.kind === 'balloon').length,
    };
    const deaf = reports.map((t) => ({ tick: t.tick, g: t.guests.find((g) => g.name === 'deaf'), d: t.decisions.find((d) => d.name === 'deaf') }));
    const detected = deaf.find((x) => x.g?.verdict.state === 'not-cooperating');
    const held = deaf.find((x) => x.d?.action.kind === 'hard-limit' && x.d.applied);
    results.deaf = {
      detectedAtInterval: detected?.tick ?? null,
      reason: detected?.g.verdict.reason ?? null,
      softLimitAtInterval: deaf.find((x) => x.d?.action.kind === 'soft-limit')?.tick ?? null,
      hardLimitAtInterval: held?.tick ?? null,
      hardLimitMiB: held ? Math.round(held.d.action.kib / MiB) : null,
      usageMiB: Math.round(auto.usageKiB('deaf') / MiB),
    };
  } finally {
    await auto.close();
    await free.close();
  }
}

// ---- 4. virtio-mem: 256 MiB grown to 768 MiB ----------------------------------------------------------------
{
  log('4. a guest grown from 256 MiB to 768 MiB through virtio-mem');
  const r = await openRoot('grow');
  try {
    const dom = await r.start({ name: 'grow', memoryMiB: 256, virtioMemMiB: 512 });
    await r.ready(['grow']);
    await until(() => guestReport(r.serial('grow')), 30_000, 'a MemTotal report');
    const before = guestReport(r.serial('grow')).memTotalKiB;
    const t0 = Date.now();
    await dom.setMemory(768 * MiB, virtune.DOMAIN_AFFECT_LIVE);
    await until(() => guestReport(r.serial('grow')).memTotalKiB >= before + 512 * MiB, 120_000, 'MemTotal to grow');
    const growMs = Date.now() - t0;
    const after = guestReport(r.serial('grow')).memTotalKiB;
    const t1 = Date.now();
    await dom.setMemory(256 * MiB, virtune.DOMAIN_AFFECT_LIVE);
    await until(() => guestReport(r.serial('grow')).memTotalKiB === before, 120_000, 'MemTotal to shrink');
    results.virtioMem = {
      memTotalBeforeMiB: Math.round(before / MiB),
      memTotalAfterMiB: Math.round(after / MiB),
      grownMiB: Math.round((after - before) / MiB),
      growSeconds: growMs / 1000,
      shrinkSeconds: (Date.now() - t1) / 1000,
    };
  } finally {
    await r.close();
  }
}

printAndExit();

function printAndExit() {
  if (JSON_OUT) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    const out = [];
    out.push(`autopilot bench: ${INTERVALS} intervals of ${INTERVAL_S} s, ${new Date().toISOString()}`);
    out.push('1. four idle 512 MiB guests');
    for (const x of results.idle) {
      out.push(`   ${x.policy.padEnd(24)} balloons gave back ${x.balloonReclaimedMiB} MiB, host usage down ${x.hostReclaimedMiB} MiB, ` +
        `steady after ${x.intervalsToSteady ?? `>${INTERVALS}`} intervals, ${x.guestOomKills} guest OOM kills, ${x.failedActions} failed actions`);
    }
    const f = results.fill;
    if (f) out.push(`2. tmpfs filler: ${f.withAutopilot.mib} MiB written in ${f.withAutopilot.busyCs / 100} s with autopilot, ${f.without.busyCs / 100} s without ` +
      `(${f.slowdownPercent}%), ${f.guestOomKills} guest OOM kills, ${f.balloonMoves} balloon moves, balloon at ${f.balloonAtEndMiB} MiB at the end`);
    const d = results.deaf;
    if (d) out.push(`3. no balloon driver: ${d.reason} at interval ${d.detectedAtInterval}, soft limit at ${d.softLimitAtInterval}, hard limit ${d.hardLimitMiB} MiB at ${d.hardLimitAtInterval} (usage ${d.usageMiB} MiB)`);
    const v = results.virtioMem;
    if (v) out.push(`4. virtio-mem: MemTotal ${v.memTotalBeforeMiB} -> ${v.memTotalAfterMiB} MiB (+${v.grownMiB}) in ${v.growSeconds} s, back in ${v.shrinkSeconds} s`);
    process.stdout.write(`${out.join('\n')}\n`);
  }
  process.exit(0);
}
