/**
 * Balloon statistics and the cooperation verdict on real TCG guests: one whose balloon driver answers, one booted
 * without it (`virtune.noballoon`). Both run at once, small (256 MiB), to keep the shared machine's load down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/connection/connection.js';
import type { Domain } from '../../../src/connection/domain.js';
import { ErrorCode } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, DOMAIN_MEMORY_STAT_NAMES, DOMAIN_XML_INACTIVE } from '../../../src/flags.js';
import { buildTestGuest, guestXML } from '../../fixtures/guest/guest.js';
import { eventually } from '../../helpers/eventually.js';
import { assertNoLeftovers, tempEntriesOfThisProcess } from '../../helpers/leftovers.js';
import { skipUnless } from '../../helpers/prereq.js';
import { QemuTestEnv } from './helpers/env.js';

const MiB = 1024n;

describe.skipIf(skipUnless('root', 'qemu', 'cgroup-v1-memory'))('balloon statistics and cooperation, real guests', { timeout: 300_000 }, () => {
  let env: QemuTestEnv;
  let conn: Connection;
  let coop: Domain;
  let deaf: Domain;

  const named = async (dom: Domain) => Object.fromEntries((await dom.memoryStats()).map((s) => [DOMAIN_MEMORY_STAT_NAMES[s.tag], s.val]));

  beforeAll(async () => {
    const guest = buildTestGuest();
    env = new QemuTestEnv();
    conn = await env.open();
    coop = await conn.defineDomainXML(guestXML(guest, { name: 'coop', uuid: '4b1e7a52-0c3d-4e9f-8a1b-2c3d4e5f6a70', memoryMiB: 256, statsPeriod: 1 }));
    deaf = await conn.defineDomainXML(
      guestXML(guest, { name: 'deaf', uuid: '4b1e7a52-0c3d-4e9f-8a1b-2c3d4e5f6a71', memoryMiB: 256, statsPeriod: 1, ignoreBalloon: true }),
    );
    await coop.create();
    await deaf.create();
    await Promise.all([env.guestReady('coop'), env.guestReady('deaf')]);
  }, 15 * 60_000);
  afterAll(async () => {
    await env?.dispose();
    assertNoLeftovers(tempEntriesOfThisProcess(), 'this file');
  });

  it("reports the guest's figures in libvirt's order, and last_update advances", async () => {
    const first = await eventually(async () => {
      const s = await named(coop);
      return s.last_update !== undefined && s.last_update > 0n && s.usable !== undefined ? s : undefined;
    }, 60_000, 'the first statistics');
    expect(Object.keys(first)).toEqual([
      'actual', 'swap_in', 'swap_out', 'major_fault', 'minor_fault', 'unused', 'available', 'usable', 'last_update',
      'disk_caches', 'hugetlb_pgalloc', 'hugetlb_pgfail', 'rss',
    ]);
    expect(first.actual).toBe(256n * 1024n);
    // The guest's total (what the kernel manages) is below the boot size and above what is unused.
    expect(first.available).toBeLessThanOrEqual(256n * 1024n);
    expect(first.unused).toBeLessThan(first.available!);
    expect(first.rss).toBeGreaterThan(0n);
    // last-update is the host's clock in seconds.
    expect(Math.abs(Number(first.last_update) - Date.now() / 1000)).toBeLessThan(30);
    await eventually(async () => ((await named(coop)).last_update! > first.last_update! ? true : undefined), 30_000, 'last_update to advance');
    expect(await coop.cooperation()).toMatchObject({ state: 'cooperating', reason: 'ok', statsPeriod: 1 });
  });

  it('a guest without its balloon driver reports nothing and is judged stale', async () => {
    const s = await named(deaf);
    // QEMU still knows the balloon's size; the guest never answered, so last_update is 0 and its figures are absent.
    expect(Object.keys(s)).toEqual(['actual', 'last_update', 'rss']);
    expect(s.last_update).toBe(0n);
    const v = await eventually(async () => {
      const v = await deaf.cooperation();
      return v.state === 'unknown' ? undefined : v;
    }, 30_000, 'a verdict');
    expect(v).toMatchObject({ state: 'not-cooperating', reason: 'stats-stale' });
    expect(v.detail).toMatch(/has not reported statistics in \d+ s \(period 1 s\)/);
  });

  it('with statistics off, a balloon that does not move past its deadline is the verdict', async () => {
    await deaf.setMemoryStatsPeriod(0, DOMAIN_AFFECT_LIVE);
    expect(await deaf.cooperation()).toMatchObject({ state: 'unknown', reason: 'stats-off', statsPeriod: 0 });
    await deaf.setMemory(200n * MiB, DOMAIN_AFFECT_LIVE);
    const v = await deaf.cooperation({ balloonDeadlineMs: 1500 });
    expect(['balloon-pending', 'balloon-stuck']).toContain(v.reason);
    const stuck = await eventually(async () => {
      const v = await deaf.cooperation({ balloonDeadlineMs: 1500 });
      return v.reason === 'balloon-stuck' ? v : undefined;
    }, 20_000, 'the stuck verdict');
    expect(stuck).toMatchObject({ state: 'not-cooperating', actualKiB: 256n * MiB, targetKiB: 200n * MiB });
  });

  it('the cooperating guest follows a new target: moving, then ok', async () => {
    await coop.setMemory(192n * MiB, DOMAIN_AFFECT_LIVE);
    const ok = await eventually(async () => {
      const v = await coop.cooperation({ balloonDeadlineMs: 60_000 });
      expect(v.state).toBe('cooperating');
      return v.reason === 'ok' ? v : undefined;
    }, 60_000, 'the balloon to arrive');
    expect(ok.actualKiB).toBeLessThanOrEqual(192n * MiB + 4n);
    expect((await named(coop)).actual).toBe(ok.actualKiB);
  });

  it('sets the period live and in the definition, and refuses a domain without a balloon', async () => {
    await coop.setMemoryStatsPeriod(3, DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG);
    expect(await coop.getXMLDesc()).toContain("<stats period='3'/>");
    expect(await coop.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain("<stats period='3'/>");
    expect((await coop.cooperation()).statsPeriod).toBe(3);
    await expect(coop.setMemoryStatsPeriod(-1)).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARG,
      message: 'period in virDomainSetMemoryStatsPeriod must be zero or greater',
    });
    await expect(coop.memoryStats(1)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARG, message: /unsupported flags \(0x1\) in function qemuDomainMemoryStats/ });
    const xml = (await coop.getXMLDesc(DOMAIN_XML_INACTIVE)).replace(/<memballoon[\s\S]*?<\/memballoon>/, "<memballoon model='none'/>");
    const none = await conn.defineDomainXML(xml.replace('<name>coop</name>', '<name>none</name>').replace(/<uuid>[^<]*<\/uuid>/, ''));
    await expect(none.setMemoryStatsPeriod(2, DOMAIN_AFFECT_CONFIG)).rejects.toMatchObject({
      code: ErrorCode.OPERATION_INVALID,
      message: 'Requested operation is not valid: No memory balloon device configured, can not set the collection period',
    });
    await expect(none.memoryStats()).rejects.toMatchObject({ code: ErrorCode.OPERATION_INVALID, message: /domain is not running/ });
    await none.undefine();
  });
});
