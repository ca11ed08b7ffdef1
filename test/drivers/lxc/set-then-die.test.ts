import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/connection/connection.js';
import { DOMAIN_AFFECT_LIVE, DomainState } from '../../../src/flags.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';
import { skipUnless } from '../../helpers/prereq.js';
import { lxcXML } from './container-xml.js';
import { makeLxcEnv, type LxcTestEnv } from './harness.js';
import { runChildUntilLine } from '../qemu/helpers/child-until-line.js';

const MiB = 1024n;

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare'))('a process killed between a live set and its status save', () => {
  let env: LxcTestEnv;
  const script = fileURLToPath(new URL('../../helpers/set-then-die-child.mjs', import.meta.url));

  beforeAll(() => {
    env = makeLxcEnv();
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it('loses nothing: the next process rebuilds the live memtune from the cgroup files', async () => {
    const xml = lxcXML('setdie', 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done', "<memtune><soft_limit unit='MiB'>100</soft_limit></memtune>");
    const child = await runChildUntilLine(script, [env.uri, xml, String(600n * MiB)]);
    let statusXml: string;
    try {
      // The change is in force, and its save has not happened: the status file still holds the old memtune.
      statusXml = (JSON.parse(readFileSync(`${env.root}/run/lxc/setdie.json`, 'utf8')) as { liveXml: string }).liveXml;
    } finally {
      await child.kill();
    }
    expect(statusXml).not.toContain('<hard_limit');
    expect(statusXml).toContain(`<soft_limit unit='KiB'>${100n * MiB}</soft_limit>`);

    const conn = await openConnection(env.uri);
    try {
      const dom = await conn.lookupDomainByName('setdie');
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
      expect(await dom.getXMLDesc(2)).not.toContain('<hard_limit');
      // A further live change saves a status that agrees with the kernel again.
      await dom.setMemoryParameters([{ field: 'soft_limit', type: TypedParameterType.ULLONG, value: 50n * MiB }], DOMAIN_AFFECT_LIVE);
      await conn.close();
      const saved = (JSON.parse(readFileSync(`${env.root}/run/lxc/setdie.json`, 'utf8')) as { liveXml: string }).liveXml;
      expect(saved).toContain(`<hard_limit unit='KiB'>${600n * MiB}</hard_limit>`);
      expect(saved).toContain(`<soft_limit unit='KiB'>${50n * MiB}</soft_limit>`);
    } finally {
      const again = await openConnection(env.uri);
      await (await again.lookupDomainByName('setdie')).destroy().catch(() => undefined);
      await again.close();
      await conn.close();
    }
  });
});
