import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../src/connection/connection.js';
import type { Domain } from '../../../src/connection/domain.js';
import { DOMAIN_AFFECT_LIVE, DomainState, DOMAIN_XML_INACTIVE } from '../../../src/flags.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';
import { skipUnless } from '../../helpers/prereq.js';
import { lxcXML } from './container-xml.js';
import { lxcEnvPerBlock } from './harness.js';
import { runChildUntilLine } from '../../helpers/child-until-line.js';
import { typedParamsToRecord } from '../../../src/typed-params/helpers.js';

const MiB = 1024n;
const IDLE = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare'))('a process killed between a live set and its status save', () => {
  const env = lxcEnvPerBlock();
  const script = fileURLToPath(new URL('../../helpers/set-then-die-child.mjs', import.meta.url));

  /** The live definition the status file of `name` holds now. */
  const statusXml = (name: string): string =>
    (JSON.parse(readFileSync(`${env.root}/run/lxc/${name}.json`, 'utf8')) as { liveXml: string }).liveXml;

  /**
   * Runs the child (on this root, with `args`) until it has made its live change to domain `name`, reads the status
   * file it had no time to save, and kills it.
   */
  const setAndDie = async (name: string, args: string[]): Promise<{ line: string; saved: string }> => {
    const child = await runChildUntilLine(script, [env.uri, ...args]);
    try {
      return { line: child.line, saved: statusXml(name) };
    } finally {
      await child.kill();
    }
  };

  /**
   * What a new process sees: `body` runs on a fresh connection and its domain `name`; afterwards the domain is
   * destroyed through another one (`body` may have closed its own to make it save) and the connection closed.
   */
  const reconnected = async (name: string, body: (dom: Domain, conn: Connection) => Promise<void>): Promise<void> => {
    const conn = await openConnection(env.uri);
    try {
      await body(await conn.lookupDomainByName(name), conn);
    } finally {
      const again = await openConnection(env.uri);
      await (await again.lookupDomainByName(name)).destroy().catch(() => undefined);
      await again.close();
      await conn.close();
    }
  };

  it('loses nothing: the next process rebuilds the live memtune from the cgroup files', async () => {
    const xml = lxcXML('setdie', IDLE, "<memtune><soft_limit unit='MiB'>100</soft_limit></memtune>");
    const child = await setAndDie('setdie', [xml, String(600n * MiB)]);
    // The change is in force, and its save has not happened: the status file still holds the old memtune.
    expect(child.saved).not.toContain('<hard_limit');
    expect(child.saved).toContain(`<soft_limit unit='KiB'>${100n * MiB}</soft_limit>`);

    await reconnected('setdie', async (dom, conn) => {
      expect(dom.id).toBe(Number(child.line));
      expect((await dom.getState()).state).toBe(DomainState.RUNNING);
      const live = await dom.getXMLDesc();
      expect(live).toContain(`<hard_limit unit='KiB'>${600n * MiB}</hard_limit>`);
      expect(live).toContain(`<soft_limit unit='KiB'>${100n * MiB}</soft_limit>`);
      // Unchanged limits keep the recorded value: no swap limit appears from the kernel's "unlimited".
      expect(live).not.toContain('<swap_hard_limit');
      const params = Object.fromEntries((await dom.getMemoryParameters(DOMAIN_AFFECT_LIVE)).map((p) => [p.field, p.value]));
      expect(params.hard_limit).toBe(600n * MiB);
      // The persistent definition never had the live change.
      expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).not.toContain('<hard_limit');
      // A further live change saves a status that agrees with the kernel again.
      await dom.setMemoryParameters([{ field: 'soft_limit', type: TypedParameterType.ULLONG, value: 50n * MiB }], DOMAIN_AFFECT_LIVE);
      await conn.close();
      const saved = statusXml('setdie');
      expect(saved).toContain(`<hard_limit unit='KiB'>${600n * MiB}</hard_limit>`);
      expect(saved).toContain(`<soft_limit unit='KiB'>${50n * MiB}</soft_limit>`);
    });
  });

  it.skipIf(skipUnless('cgroup-v1-cpu'))('loses no live scheduler change: reconnect and refresh take it from the cpu files', async () => {
    const xml = lxcXML('schdie', IDLE, '<cputune><shares>2048</shares><period>50000</period><quota>20000</quota></cputune>');
    const setSchedulerAndDie = (domain: string, params: [string, string, string][]) =>
      setAndDie('schdie', [domain, JSON.stringify(params), 'setSchedulerParameters']);
    const first = await setSchedulerAndDie(xml, [['cpu_shares', 'ULLONG', '300'], ['vcpu_quota', 'LLONG', '30000']]);
    // Killed after the change and before its save: the status file still holds the start's values.
    expect(first.saved).toContain('<shares>2048</shares>');
    expect(first.saved).toContain('<quota>20000</quota>');

    // A new process reconnects: the live values come from the cpu files.
    await reconnected('schdie', async (dom, conn) => {
      expect(dom.id).toBe(Number(first.line));
      const live = await dom.getXMLDesc();
      expect(live).toContain('<shares>300</shares>');
      expect(live).toContain('<quota>30000</quota>');
      expect(live).toContain('<period>50000</period>');
      expect(typedParamsToRecord(await dom.getSchedulerParameters(DOMAIN_AFFECT_LIVE))).toEqual({ cpu_shares: 300n, vcpu_period: 50000n, vcpu_quota: 30000n });
      expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain('<shares>2048</shares>');

      // This process keeps the root loaded while another changes the domain live and dies before its save: its
      // next change (of another family) refreshes from the files, and the status it saves keeps the scheduler's.
      const second = await setSchedulerAndDie('name:schdie', [['cpu_shares', 'ULLONG', '400']]);
      expect(second.saved).not.toContain('<shares>400</shares>');
      await dom.setMemoryParameters([{ field: 'soft_limit', type: TypedParameterType.ULLONG, value: 50n * MiB }], DOMAIN_AFFECT_LIVE);
      expect(await dom.getXMLDesc()).toContain('<shares>400</shares>');
      await conn.close();
      const after = statusXml('schdie');
      expect(after).toContain('<shares>400</shares>');
      expect(after).toContain('<quota>30000</quota>');
      expect(after).toContain(`<soft_limit unit='KiB'>${50n * MiB}</soft_limit>`);
    });
  });

  it.skipIf(skipUnless('cgroup-v1-blkio'))('loses no live blkio weight change: the next process takes it from the blkio files', async () => {
    const xml = lxcXML('blkdie', IDLE, '<blkiotune><weight>300</weight></blkiotune>');
    const { saved } = await setAndDie('blkdie', [xml, JSON.stringify([['weight', 'UINT', '700']]), 'setBlkioParameters']);
    expect(saved).toContain('<weight>300</weight>');
    await reconnected('blkdie', async (dom) => {
      expect(await dom.getXMLDesc()).toContain('<weight>700</weight>');
      expect(typedParamsToRecord(await dom.getBlkioParameters(DOMAIN_AFFECT_LIVE)).weight).toBe(700);
      expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain('<weight>300</weight>');
    });
  });
});
