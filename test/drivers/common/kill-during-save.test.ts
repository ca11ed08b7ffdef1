// SIGKILLs a process again and again in the middle of saving definitions and status records, and checks after
// each kill that every file still parses and holds a value the process wrote, and that the next open removes the
// temporary files the killed writes left. CI slice here; `npm run soak` kills it 200 times (VIRTUNE_SOAK=1).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/connection/connection.js';
import { parseLxcDomainXML } from '../../../src/drivers/lxc/lxc-xml.js';
import { skipUnless } from '../../helpers/prereq.js';
import { lxcXML } from '../lxc/container-xml.js';
import { lxcEnvPerBlock, } from '../lxc/harness.js';
import { runChildUntilLine } from '../../helpers/child-until-line.js';

const KILLS = process.env.VIRTUNE_SOAK === '1' ? 200 : 20;
const child = fileURLToPath(new URL('./save-loop-child.mjs', import.meta.url));
const IDLE = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';
const KC = lxcXML('kc', IDLE, "<memtune><soft_limit unit='KiB'>SOFT</soft_limit></memtune>");

/** A random delay of 0–`max` ms, so kills land anywhere in the loop (the wait is the point, not a poll). */
const randomPause = (max: number): Promise<void> => new Promise((r) => setTimeout(r, Math.random() * max));

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare'))('SIGKILL during saves (LXC)', () => {
  const env = lxcEnvPerBlock();

  it(`${KILLS} kills leave no torn file, and the next open removes the killed writes' temporary files`, { timeout: KILLS * 3_000 }, async () => {
    const conn = await openConnection(env.uri);
    await conn.defineDomainXML(KC.replace('SOFT', String(256 << 10)));
    const kd = await conn.defineDomainXML(lxcXML('kd', IDLE));
    await kd.create();
    await conn.close();
    const dirs = [`${env.root}/etc/lxc`, `${env.root}/run/lxc`];
    const temps = (): string[] => dirs.flatMap((d) => readdirSync(d).filter((f) => f.includes('.tmp-')));
    let killsLeavingTemps = 0;
    let lastSoft = 0n;
    try {
      for (let k = 0; k < KILLS; k++) {
        // Each child's open must first have removed what the previous kill left.
        const running = await runChildUntilLine(child, [env.uri, String(k * 1_000_000 + 1), KC, '4']);
        // The child's own writes have begun by now: only its temporary files may be there.
        expect(temps().filter((f) => !f.includes(`.tmp-${running.line}-`)), `temporary files after open #${k}`).toEqual([]);
        await randomPause(150);
        await running.kill();
        if (temps().length > 0) killsLeavingTemps++;

        const kc = parseLxcDomainXML(readFileSync(`${env.root}/etc/lxc/kc.xml`, 'utf8'));
        // Values only grow: a kill never brings an older definition back.
        expect(kc.memtune.softLimit).toBeGreaterThanOrEqual(lastSoft);
        lastSoft = kc.memtune.softLimit;
        const status = JSON.parse(readFileSync(`${env.root}/run/lxc/kd.json`, 'utf8')) as { liveXml: string };
        parseLxcDomainXML(status.liveXml);
      }
      const after = await openConnection(env.uri);
      expect(temps()).toEqual([]);
      await after.close();
    } finally {
      const last = await openConnection(env.uri);
      await (await last.lookupDomainByName('kd')).destroy();
      await last.close();
      console.log(`kill-during-save: ${KILLS} kills, ${killsLeavingTemps} left temporary files`);
    }
  });
});
