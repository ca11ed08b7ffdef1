// Several processes, each with several async callers, change every memory parameter of one running domain (an LXC
// container; a no-OS QEMU guest),
// live and config, at the same time. A sampler reads the definition file, the status file and the cgroup files
// meanwhile. CI slice here; `npm run soak` runs it longer (VIRTUNE_SOAK=1).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/connection/connection.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { V1_MEMORY_ROOT } from '../../helpers/cgroup-dirs.js';
import { skipUnless } from '../../helpers/prereq.js';
import { lxcXML } from '../lxc/container-xml.js';
import { makeLxcEnv } from '../lxc/harness.js';
import { noOsXML, QemuTestEnv } from '../qemu/helpers/env.js';
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

/** One driver under test: a private root, the domain's XML, and how to clean up. */
interface DriverCase {
  driver: 'lxc' | 'qemu';
  prereqs: Parameters<typeof skipUnless>;
  setup(): { uri: string; root: string; xml: string; cleanup(): Promise<void> };
  writers: number;
  callers: number;
  steps: number;
}

const IDLE = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';
const CASES: DriverCase[] = [
  {
    driver: 'lxc',
    prereqs: ['root', 'cgroup-v1-memory', 'unshare'],
    setup() {
      const env = makeLxcEnv();
      return { uri: env.uri, root: env.root, xml: lxcXML('cw', IDLE), cleanup: () => env.cleanup() };
    },
    writers: WRITERS,
    callers: CALLERS,
    steps: STEPS,
  },
  {
    // QEMU where it is cheap: a no-OS guest, fewer changes (each writer's open waits for the monitor the test holds).
    driver: 'qemu',
    prereqs: ['root', 'cgroup-v1-memory', 'qemu'],
    setup() {
      const env = new QemuTestEnv();
      return { uri: env.uri(), root: env.root, xml: noOsXML('cw', randomUUID()), cleanup: () => env.dispose() };
    },
    writers: SOAK ? 3 : 2,
    callers: SOAK ? 4 : 2,
    steps: SOAK ? 100 : 12,
  },
];

for (const c of CASES) {
  describe.skipIf(skipUnless(...c.prereqs))(`concurrent writers from several processes (${c.driver})`, () => {
    let env: ReturnType<DriverCase['setup']>;
    beforeAll(() => {
      env = c.setup();
    });
    afterAll(async () => {
      await env?.cleanup();
    });

    it(`${c.writers} processes × ${c.callers} callers × ${c.steps} changes end as some serial order, no value going backwards`, { timeout: SOAK ? 1_200_000 : 120_000 }, async () => {
      const [configFile, statusFile] = [`${env.root}/etc/${c.driver}/cw.xml`, `${env.root}/run/${c.driver}/cw.json`];
      const conn = await openConnection(env.uri);
      const dom = await conn.defineDomainXML(env.xml);
      await dom.create();
      try {
        const status = JSON.parse(readFileSync(statusFile, 'utf8')) as { cgroup: string };
        const sampler = startSampler([
          fileSource('config file', configFile, memtuneOfXml),
          fileSource('status file', statusFile, (t) => memtuneOfXml((JSON.parse(t) as { liveXml: string }).liveXml)),
          { name: 'cgroup', read: cgroupMemtune(`${V1_MEMORY_ROOT}/${status.cgroup}`) },
        ]);
        let outputs: string[] = [];
        let sampled: Awaited<ReturnType<typeof sampler.stop>>;
        try {
          outputs = await Promise.all(
            Array.from({ length: c.writers }, async (_, w) => {
              const { stdout } = await promisify(execFile)(process.execPath, [child, env.uri, 'cw', String(w), String(c.callers), String(c.steps)], {
                cwd: root,
                timeout: SOAK ? 1_000_000 : 100_000,
              });
              return stdout;
            }),
          );
        } finally {
          sampled = await sampler.stop();
        }
        expect(sampled.regressions).toEqual([]);
        expect(sampled.samples).toBeGreaterThan(10);

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
          const inStatus = memtuneOfXml((JSON.parse(readFileSync(statusFile, 'utf8')) as { liveXml: string }).liveXml);
          for (const field of PARAMS) expect(candidates('live', field), `status ${field}`).toContain(inStatus[field]);
          const inConfig = memtuneOfXml(readFileSync(configFile, 'utf8'));
          for (const field of PARAMS) expect(candidates('config', field), `config ${field}`).toContain(inConfig[field]);
        } finally {
          await fresh.close();
        }
      } finally {
        await dom.destroy().catch(() => undefined);
        await conn.close();
      }
    });
  });
}
