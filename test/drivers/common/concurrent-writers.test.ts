// Several processes, each with several async callers, change every memory parameter of one running container,
// live and config, at the same time. A sampler reads the definition file, the status file and the cgroup files
// meanwhile. CI slice here; `npm run soak` runs it longer (VIRTUNE_SOAK=1).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/connection/connection.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { V1_MEMORY_ROOT } from '../../helpers/cgroup-dirs.js';
import { skipUnless } from '../../helpers/prereq.js';
import { lxcXML } from '../lxc/container-xml.js';
import { makeLxcEnv, type LxcTestEnv } from '../lxc/harness.js';
import { fileSource, memtuneOfXml, startSampler } from './file-sampler.js';
import { PARAMS } from './memtune-values.mjs';

const SOAK = process.env.VIRTUNE_SOAK === '1';
const WRITERS = SOAK ? 4 : 3;
const CALLERS = SOAK ? 6 : 3;
const STEPS = SOAK ? 250 : 16;
const child = fileURLToPath(new URL('./memtune-writer-child.mjs', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The v1 cgroup files of a domain, as KiB per parameter. */
function cgroupMemtune(dir: string): () => Partial<Record<string, number>> {
  const kib = (file: string): number => Number(BigInt(readFileSync(`${dir}/${file}`, 'utf8').trim()) >> 10n);
  return () => ({
    hard_limit: kib('memory.limit_in_bytes'),
    soft_limit: kib('memory.soft_limit_in_bytes'),
    swap_hard_limit: kib('memory.memsw.limit_in_bytes'),
  });
}

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare'))('concurrent writers from several processes (LXC)', () => {
  let env: LxcTestEnv;
  beforeAll(() => {
    env = makeLxcEnv();
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it(`${WRITERS} processes × ${CALLERS} callers × ${STEPS} changes end as some serial order, no value going backwards`, { timeout: SOAK ? 1_200_000 : 120_000 }, async () => {
    const conn = await openConnection(env.uri);
    const dom = await conn.defineDomainXML(lxcXML('cw', 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done'));
    await dom.create();
    try {
      const status = JSON.parse(readFileSync(`${env.root}/run/lxc/cw.json`, 'utf8')) as { cgroup: string };
      const sampler = startSampler([
        fileSource('config file', `${env.root}/etc/lxc/cw.xml`, memtuneOfXml),
        fileSource('status file', `${env.root}/run/lxc/cw.json`, (t) => memtuneOfXml((JSON.parse(t) as { liveXml: string }).liveXml)),
        { name: 'cgroup', read: cgroupMemtune(`${V1_MEMORY_ROOT}/${status.cgroup}`) },
      ]);
      let outputs: string[];
      try {
        outputs = await Promise.all(
          Array.from({ length: WRITERS }, async (_, w) => {
            const { stdout } = await promisify(execFile)(process.execPath, [child, env.uri, 'cw', String(w), String(CALLERS), String(STEPS)], {
              cwd: root,
              timeout: SOAK ? 1_000_000 : 100_000,
            });
            return stdout;
          }),
        );
      } finally {
        var { samples, regressions } = await sampler.stop();
      }
      expect(regressions).toEqual([]);
      expect(samples).toBeGreaterThan(10);

      // Each (affect, parameter) ends at the last value some caller set for it: the last write of a serial order.
      const lasts = outputs.map((o) => JSON.parse(o) as Record<string, number>);
      const candidates = (affect: string, field: string): number[] =>
        lasts.flatMap((l) => Object.entries(l).filter(([k]) => k.endsWith(`/${affect}/${field}`)).map(([, v]) => v));
      const fresh = await openConnection(env.uri);
      try {
        const d = await fresh.lookupDomainByName('cw');
        for (const [affect, flag] of [['live', DOMAIN_AFFECT_LIVE], ['config', DOMAIN_AFFECT_CONFIG]] as const) {
          const got = Object.fromEntries((await d.getMemoryParameters(flag)).map((p) => [p.field, Number(p.value)]));
          for (const field of PARAMS) expect(candidates(affect, field), `${affect} ${field}`).toContain(got[field]);
        }
        const statusFile = memtuneOfXml((JSON.parse(readFileSync(`${env.root}/run/lxc/cw.json`, 'utf8')) as { liveXml: string }).liveXml);
        for (const field of PARAMS) expect(candidates('live', field), `status ${field}`).toContain(statusFile[field]);
        const configFile = memtuneOfXml(readFileSync(`${env.root}/etc/lxc/cw.xml`, 'utf8'));
        for (const field of PARAMS) expect(candidates('config', field), `config ${field}`).toContain(configFile[field]);
      } finally {
        await fresh.close();
      }
    } finally {
      await dom.destroy().catch(() => undefined);
      await conn.close();
    }
  });
});
