/**
 * The autopilot over real TCG guests: one that co-operates (its balloon is taken in toward what it uses) and one
 * booted without its balloon driver (detected, then held by its cgroup: soft limit, then hard limit). Small guests,
 * a 3 s interval and a 1 s stats period keep it short.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Autopilot, type DecisionEvent, type TickReport } from '../../src/autopilot/autopilot.js';
import { virtunePolicy } from '../../src/autopilot/virtune-policy.js';
import type { Connection } from '../../src/connection/connection.js';
import { buildTestGuest, guestXML } from '../fixtures/guest/guest.js';
import { eventually } from '../helpers/eventually.js';
import { assertNoLeftovers, tempEntriesOfThisProcess } from '../helpers/leftovers.js';
import { skipUnless } from '../helpers/prereq.js';
import { QemuTestEnv } from '../drivers/qemu/helpers/env.js';
import { CONNECT_LIST_DOMAINS_ACTIVE } from '../../src/flags.js';

const MiB = 1024;

describe.skipIf(skipUnless('root', 'qemu', 'cgroup-v1-memory'))('the autopilot on real guests', { timeout: 300_000 }, () => {
  let env: QemuTestEnv;
  let conn: Connection;

  beforeAll(async () => {
    const guest = buildTestGuest();
    env = new QemuTestEnv();
    conn = await env.open();
    for (const [name, uuid, ignoreBalloon] of [
      ['coop', '8d1a2b3c-4d5e-4f60-8172-839495a6b7c8', false],
      ['deaf', '8d1a2b3c-4d5e-4f60-8172-839495a6b7c9', true],
    ] as const) {
      const dom = await conn.defineDomainXML(guestXML(guest, { name, uuid, memoryMiB: 384, statsPeriod: 1, ignoreBalloon }));
      await dom.create();
    }
    await Promise.all([env.guestReady('coop'), env.guestReady('deaf')]);
  }, 15 * 60_000);
  afterAll(async () => {
    await env?.dispose();
    assertNoLeftovers(tempEntriesOfThisProcess(), 'this file');
  });

  it('in dry-run mode decides and reports, and changes nothing', async () => {
    const pilot = new Autopilot(conn, { policy: virtunePolicy(), dryRun: true });
    const events: DecisionEvent[] = [];
    pilot.on('decision', (d) => events.push(d));
    const r = await pilot.step();
    expect(r.guests.map((g) => g.name).sort()).toEqual(['coop', 'deaf']);
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.dryRun && !e.applied)).toBe(true);
    for (const dom of await conn.listAllDomains(CONNECT_LIST_DOMAINS_ACTIVE)) expect((await dom.getInfo()).memory).toBe(BigInt(384 * MiB));
  });

  it('takes the co-operating guest in, and holds the other by its cgroup within two intervals of knowing', async () => {
    const pilot = new Autopilot(conn, { policy: virtunePolicy(), intervalS: 3 });
    const ticks: TickReport[] = [];
    pilot.on('tick', (t) => ticks.push(t));
    pilot.start();
    try {
      const of = (name: string) => ticks.flatMap((t) => t.decisions.filter((d) => d.name === name));
      const hard = await eventually(() => of('deaf').find((d) => d.action.kind === 'hard-limit'), 60_000, 'the hard limit on deaf');
      const firstStale = ticks.find((t) => t.guests.some((g) => g.name === 'deaf' && g.verdict.state === 'not-cooperating'))!.tick;
      const soft = of('deaf').find((d) => d.action.kind === 'soft-limit')!;
      expect(soft.tick).toBe(firstStale);
      expect(hard.tick).toBe(firstStale + 1);
      expect(hard.applied).toBe(true);
      // The stats period is 1 s: stale after 5 s, which the interval after that sees.
      expect(firstStale).toBeLessThanOrEqual(3);
      const limit = Number(readFileSync(join(env.domainCgroup('deaf'), 'memory.limit_in_bytes'), 'utf8')) / 1024;
      expect(limit).toBe((hard.action as { kib: number }).kib);
      // The co-operating guest was taken in and then left alone.
      await eventually(() => (of('coop').some((d) => d.action.kind === 'hold' && /steady/.test(d.reason)) ? true : undefined), 90_000, 'coop to be steady');
      const coop = (await conn.lookupDomainByName('coop'));
      expect((await coop.getInfo()).memory).toBeLessThan(200 * MiB);
      expect(of('coop').every((d) => d.error === undefined)).toBe(true);
    } finally {
      await pilot.stop();
    }
  });
});
