// Design 2's policies side by side on simulated guests (no QEMU): four idle 512 MiB guests that use 40 MiB and
// follow every balloon target at once, virtune's policy against MoM's published rules (host pressure assumed, or
// MoM would not act). The same scenario on real TCG guests is `npm run bench:autopilot` (docs/autopilot.md).
import { makeResult } from '../lib/result.js';

const MiB = 1024;
const INTERVALS = 40;

/** Runs `policy` over four simulated guests; returns intervals until no balloon moved, and MiB given back. */
function simulate(virtune, policy) {
  const verdict = { state: 'cooperating', reason: 'ok', detail: '', actualKiB: 0n, statsPeriod: 2 };
  let guests = [1, 2, 3, 4].map((i) => ({
    name: `idle${i}`, uuid: `u${i}`, memoryKiB: 512 * MiB, actualKiB: 512 * MiB, minGuaranteeKiB: 0,
    availableKiB: 500 * MiB, usableKiB: 460 * MiB, unusedKiB: 455 * MiB, rssKiB: 140 * MiB,
    softLimitKiB: 2 ** 53 - 1, hardLimitKiB: 2 ** 53 - 1, verdict,
  }));
  const host = { memTotalKiB: 8192 * MiB, memAvailableKiB: 6000 * MiB, psiSomeAvg10: 0 };
  let memo = new Map();
  let lastMove = -1;
  for (let tick = 0; tick < INTERVALS; tick++) {
    const out = policy.decide({ tick, host, guests, memo });
    memo = out.memo;
    guests = guests.map((g) => {
      const a = out.decisions.find((d) => d.uuid === g.uuid)?.action;
      if (a?.kind !== 'balloon') return g;
      lastMove = tick;
      // The kernel keeps 12 MiB outside MemTotal; the guest uses 40 MiB, 5 MiB of it page cache (free but not unused).
      return { ...g, actualKiB: a.targetKiB, availableKiB: a.targetKiB - 12 * MiB, usableKiB: a.targetKiB - 52 * MiB, unusedKiB: a.targetKiB - 57 * MiB };
    });
  }
  const steady = lastMove === INTERVALS - 1 ? INTERVALS : lastMove + 1;
  return { steady, reclaimedMiB: guests.reduce((s, g) => s + (g.memoryKiB - g.actualKiB), 0) / MiB };
}

export async function run(ctx) {
  if (!ctx.virtune) {
    return ['autopilot.intervals-to-steady', 'autopilot.reclaimed'].map((name) =>
      makeResult({ name, virtune: null, reference: null, unit: '-', note: ctx.virtuneMissing }));
  }
  const ours = simulate(ctx.virtune, ctx.virtune.virtunePolicy());
  const mom = simulate(ctx.virtune, ctx.virtune.momPolicy({ assumePressure: true }));
  return [
    makeResult({
      name: 'autopilot.intervals-to-steady',
      virtune: ours.steady,
      reference: mom.steady,
      unit: 'intervals',
      target: '<= 1',
      against: 'MoM rules, host pressure assumed',
      detail: `4 simulated idle 512 MiB guests using 40 MiB; ${INTERVALS} intervals at most`,
    }),
    makeResult({
      name: 'autopilot.reclaimed',
      virtune: ours.reclaimedMiB,
      reference: mom.reclaimedMiB,
      unit: 'MiB',
      target: '>= 1',
      against: 'MoM rules, host pressure assumed',
      detail: `given back by the balloons after ${INTERVALS} intervals`,
    }),
  ];
}
