import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ControllerFiles } from '../../src/cgroup/backend.js';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { MEMORY, plainTunables, type ControllerSpec } from '../../src/cgroup/controllers.js';
import { emptyMemTune } from '../../src/memory/params.js';
import { cgroupPids, removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { eventually } from '../helpers/eventually.js';
import { skipUnless } from '../helpers/prereq.js';

/** A controller declared by a test alone, as data: the pids controller's one limit. */
interface PidsTune {
  max: number;
}
const pidsFiles = (version: 'v1' | 'v2'): ControllerFiles<PidsTune> => ({
  controller: 'pids',
  version,
  fields: ['max'],
  fileOf: { max: 'pids.max' },
  encode: (t) => ({ 'pids.max': t.max === Infinity ? 'max' : String(t.max) }),
  decode: (read) => {
    const text = read('pids.max');
    return { max: text === 'max' ? Infinity : Number(text) };
  },
  writeOrder: () => ['pids.max'],
});
const PIDS: ControllerSpec<PidsTune> = {
  v1Name: 'pids',
  v2Name: 'pids',
  files: { v1: pidsFiles('v1'), v2: pidsFiles('v2') },
  open: plainTunables,
};

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'cgroup-v1-pids'))('a domain cgroup spanning two v1 hierarchies', () => {
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  const host = HostCgroups.open({ parent, controllers: [MEMORY, PIDS] });
  afterAll(async () => {
    for (const p of host?.placements ?? []) await removeCgroupDir(`${p.root}/${parent}`);
  });

  it('is found where mountinfo puts each controller, and is made, joined, tuned and removed in both', async () => {
    expect(host?.placements.map((p) => [p.spec === MEMORY ? 'memory' : 'pids', p.root, p.files.version])).toEqual([
      ['memory', '/sys/fs/cgroup/memory', 'v1'],
      ['pids', '/sys/fs/cgroup/pids', 'v1'],
    ]);
    const cg = host!.domain('both', 'lxc');
    cg.create();
    expect(cg.dirs).toEqual([`/sys/fs/cgroup/memory/${parent}/both.virtune-lxc`, `/sys/fs/cgroup/pids/${parent}/both.virtune-lxc`]);
    expect(cg.dirs.every((d) => existsSync(d))).toBe(true);

    cg.tunables(PIDS).apply({ max: 7 });
    cg.tunables(MEMORY).apply({ ...emptyMemTune(), hardLimit: 65536n });
    expect(readFileSync(`${cg.dirs[1]}/pids.max`, 'utf8').trim()).toBe('7');
    expect(readFileSync(`${cg.dirs[0]}/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(65536 * 1024));
    expect(cg.tunables(PIDS).read()).toEqual({ max: 7 });

    // A process written to every procs file is in both hierarchies.
    const child = spawn('/bin/sh', ['-c', 'for f in "$@"; do echo $$ > "$f"; done; exec sleep 60', 'sh', ...cg.procsFiles], { stdio: 'ignore' });
    await eventually(() => (cg.dirs.every((d) => cgroupPids(d).includes(child.pid!)) ? true : undefined));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await eventually(() => (cg.dirs.every((d) => cgroupPids(d).length === 0) ? true : undefined));
    cg.remove();
    expect(cg.dirs.some((d) => existsSync(d))).toBe(false);
  });
});
