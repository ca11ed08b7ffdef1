// The skeleton of cgroup-backed drivers (src/drivers/common/cgroup-driver-state.ts and cgroup-domain-driver.ts)
// carries a third driver written from it alone: fixtures/proc-driver.ts runs a plain command in its cgroup.
// Through the virsh command line: define, start, memtune --live (the real cgroup file read back), destroy.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/connection/connection.js';
import { registerDriver } from '../../../src/connection/registry.js';
import { DomainState } from '../../../src/flags.js';
import { runMain } from '../../cli/helpers/run-main.js';
import { V1_MEMORY_ROOT } from '../../helpers/cgroup-dirs.js';
import { skipUnless } from '../../helpers/prereq.js';
import { makeLxcEnv, type LxcTestEnv } from '../lxc/harness.js';
import { procDriverFactory } from './fixtures/proc-driver.js';

const IDLE = 'trap "exit 0" TERM; while :; do sleep 1 &amp; wait $!; done';

describe.skipIf(skipUnless('root', 'cgroup-v1-memory'))('a third cgroup-backed driver from the skeleton alone', () => {
  let env: LxcTestEnv;
  let uri: string;
  let unregister: () => void;
  beforeAll(() => {
    // A private root and cgroup parent, cleaned up (and checked for leftovers) like the LXC driver's.
    env = makeLxcEnv();
    uri = `proc:///embed?root=${encodeURIComponent(env.root)}&cgroup_parent=${env.parent}`;
    unregister = registerDriver(['proc'], procDriverFactory);
  });
  afterAll(async () => {
    unregister();
    await env.cleanup();
  });

  const virsh = async (...args: string[]): Promise<string> => {
    const r = await runMain(['-c', uri, ...args]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  };
  const cgroupDir = (name: string): string => {
    const dir = `${V1_MEMORY_ROOT}/${env.parent}`;
    const hit = readdirSync(dir).find((d) => d.startsWith(`${name}.virtune-proc-`));
    if (!hit) throw new Error(`no cgroup for ${name}`);
    return `${dir}/${hit}`;
  };

  it('defines, starts, tunes live (the cgroup file holds it) and destroys', async () => {
    const xmlFile = `${env.root}/sleeper.xml`;
    writeFileSync(
      xmlFile,
      `<domain type='test'><name>sleeper</name><memory unit='MiB'>256</memory>
        <os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initarg>${IDLE}</initarg></os></domain>`,
    );
    expect(await virsh('define', xmlFile)).toContain('Domain \'sleeper\' defined');
    expect(await virsh('start', 'sleeper')).toContain('Domain \'sleeper\' started');
    const dir = cgroupDir('sleeper');
    const pids = readFileSync(`${dir}/cgroup.procs`, 'utf8').trim().split('\n');
    expect(pids.length).toBeGreaterThan(0);

    await virsh('memtune', 'sleeper', '--hard-limit', '200000', '--live');
    expect(BigInt(readFileSync(`${dir}/memory.limit_in_bytes`, 'utf8').trim())).toBe(200000n * 1024n);
    expect(await virsh('memtune', 'sleeper')).toMatch(/hard_limit\s*:\s*200000/);

    // A connection of this process sees the state a later one reconnects to, events included.
    const conn = await openConnection(uri);
    try {
      const dom = await conn.lookupDomainByName('sleeper');
      expect((await dom.getState()).state).toBe(DomainState.RUNNING);
      const stopped = new Promise((resolve) => conn.on('event', (e) => e.kind === 'lifecycle' && resolve(e.event)));
      expect(await virsh('destroy', 'sleeper')).toContain('Domain \'sleeper\' destroyed');
      expect((await dom.getState()).state).toBe(DomainState.SHUTOFF);
      await stopped;
    } finally {
      await conn.close();
    }
    expect(readdirSync(`${V1_MEMORY_ROOT}/${env.parent}`).filter((d) => d.startsWith('sleeper.'))).toEqual([]);
    await virsh('undefine', 'sleeper');
  });
});
