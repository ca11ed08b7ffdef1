// A running container's cgroup files held open between live changes (OpenCgroupFiles): every one is closed again
// on each way a run ends (destroy, the connection's close), and a run another process restarted is written
// through its new cgroup, never through a descriptor of the old one.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openCgroupFileCount } from '../../../src/cgroup/open-files.js';
import { openConnection } from '../../../src/connection/connection.js';
import { DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { ullong } from '../../../src/typed-params/helpers.js';
import { V1_MEMORY_ROOT } from '../../helpers/cgroup-dirs.js';
import { eventually } from '../../helpers/eventually.js';
import { skipUnless } from '../../helpers/prereq.js';
import { lxcXML } from './container-xml.js';
import { lxcEnvPerBlock } from './harness.js';

const run = promisify(execFile);
const IDLE = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';
const fdCount = (): number => readdirSync('/proc/self/fd').length;
const hardLimit = (kib: number) => [ullong('hard_limit', kib)];
const cpuShares = (n: number) => [ullong('cpu_shares', n)];

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare'))('a running container keeps its cgroup files open', () => {
  const env = lxcEnvPerBlock();
  const memoryDir = (name: string): string => {
    const dir = `${V1_MEMORY_ROOT}/${env.parent}`;
    const hit = readdirSync(dir).find((d) => d.startsWith(`${name}.virtune-lxc-`));
    if (!hit) throw new Error(`no cgroup for ${name}`);
    return `${dir}/${hit}`;
  };
  const limitKiB = (name: string): number => Number(BigInt(readFileSync(`${memoryDir(name)}/memory.limit_in_bytes`, 'utf8').trim()) / 1024n);
  /** Waits until the process holds no more descriptors than `fds` (a cross-process lock lingers a second). */
  const fdsBackTo = (fds: number): Promise<true> => eventually(() => (fdCount() <= fds ? true : undefined), 10_000, `${fds} descriptors`);

  it('closes every one on destroy, start after start, and on the connection closing while the container runs', async () => {
    const held = openCgroupFileCount();
    const fds = fdCount();
    const conn = await openConnection(env.uri);
    const dom = await conn.defineDomainXML(lxcXML('held', IDLE));
    for (let i = 0; i < 8; i++) {
      await dom.create();
      await dom.setMemoryParameters(hardLimit(786432 + i * 1024), DOMAIN_AFFECT_LIVE);
      await dom.setMemoryParameters(hardLimit(1048576), DOMAIN_AFFECT_LIVE);
      await dom.setSchedulerParameters(cpuShares(512 + i), DOMAIN_AFFECT_LIVE);
      // The memory limit's file and cpu.shares (the host has the cpu controller): held while the run lasts.
      expect(openCgroupFileCount()).toBe(held + 2);
      expect(limitKiB('held')).toBe(1048576);
      await dom.destroy();
      expect(openCgroupFileCount()).toBe(held);
    }
    await dom.create();
    await dom.setMemoryParameters(hardLimit(786432), DOMAIN_AFFECT_LIVE);
    expect(openCgroupFileCount()).toBe(held + 1);
    await conn.close();
    // The container runs on; this process holds nothing of it.
    expect(openCgroupFileCount()).toBe(held);
    const again = await openConnection(env.uri);
    try {
      const found = await again.lookupDomainByName('held');
      await found.setMemoryParameters(hardLimit(917504), DOMAIN_AFFECT_LIVE);
      expect(limitKiB('held')).toBe(917504);
      expect(openCgroupFileCount()).toBe(held + 1);
      await found.destroy();
      await found.undefine();
    } finally {
      await again.close();
    }
    expect(openCgroupFileCount()).toBe(held);
    await fdsBackTo(fds);
  });

  it('a change after another process restarted the container goes to its new cgroup, the old descriptor closed', async () => {
    const held = openCgroupFileCount();
    const conn = await openConnection(env.uri);
    try {
      const dom = await conn.defineDomainXML(lxcXML('restarted', IDLE));
      await dom.create();
      await dom.setMemoryParameters(hardLimit(786432), DOMAIN_AFFECT_LIVE);
      expect(openCgroupFileCount()).toBe(held + 1);
      const before = statSync(memoryDir('restarted')).ino;
      const fds = fdCount();
      const { stdout } = await run(process.execPath, [fileURLToPath(new URL('./restart-child.mjs', import.meta.url)), env.uri, 'restarted'], {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      });
      expect(stdout.trim()).toBe('restarted');
      // A new cgroup under the same path, holding the definition's limit again (1 GiB, no memtune).
      expect(statSync(memoryDir('restarted')).ino).not.toBe(before);
      expect(limitKiB('restarted')).not.toBe(786432);
      await dom.setMemoryParameters(hardLimit(851968), DOMAIN_AFFECT_LIVE);
      expect(limitKiB('restarted')).toBe(851968);
      // The old run's descriptor is closed, the new run's file held: as many as before the restart.
      expect(openCgroupFileCount()).toBe(held + 1);
      await dom.setMemoryParameters(hardLimit(884736), DOMAIN_AFFECT_LIVE);
      expect(limitKiB('restarted')).toBe(884736);
      await fdsBackTo(fds);
      await dom.destroy();
      expect(openCgroupFileCount()).toBe(held);
      await dom.undefine();
    } finally {
      await conn.close();
    }
  });
});
