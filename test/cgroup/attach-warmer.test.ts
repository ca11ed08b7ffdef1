import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ATTACH_WARM_PERIOD_MS, cgroupDirOf, runningAttachWarmers, warmCgroupAttach } from '../../src/cgroup/attach-warmer.js';
import { isCgroupFs } from '../../src/cgroup/cgroup-fs.js';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { CPU, MEMORY } from '../../src/cgroup/controllers.js';
import type { ControllerPlacement } from '../../src/cgroup/domain-cgroup.js';
import { removeCgroupDir } from '../helpers/cgroup-dirs.js';
import { eventually } from '../helpers/eventually.js';
import { skipUnless } from '../helpers/prereq.js';

const MEMORY_ROOT = '/sys/fs/cgroup/memory';

/** The line of /proc/PID/cgroup for the v1 memory hierarchy: its path in that hierarchy. */
function memoryPathOf(pid: number): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1]?.split(',').includes('memory'));
  return line!.slice(line!.indexOf(':', line!.indexOf(':') + 1) + 1);
}

describe('cgroupDirOf', () => {
  it('finds the v1 hierarchy by its controller, also when co-mounted, and the cgroup2 line on v2', () => {
    const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
    const under = (root: string, path: string | undefined): string | undefined =>
      path === undefined ? undefined : path === '/' ? root : `${root}${path}`;
    const v1PathOf = (controller: string): string | undefined =>
      lines.find((l) => l.split(':')[1]?.split(',').includes(controller))?.split(':')[2];
    const memory: ControllerPlacement = { spec: MEMORY, files: MEMORY.files.v1, root: '/r/memory' };
    expect(cgroupDirOf(memory, process.pid)).toBe(under('/r/memory', v1PathOf('memory')));
    const cpu: ControllerPlacement = { spec: CPU, files: CPU.files.v1, root: '/r/cpu' };
    expect(cgroupDirOf(cpu, process.pid)).toBe(under('/r/cpu', v1PathOf('cpu')));
    const v2: ControllerPlacement = { spec: MEMORY, files: MEMORY.files.v2, root: '/r/unified' };
    const unified = lines.find((l) => l.startsWith('0::'))?.slice(3);
    expect(cgroupDirOf(v2, process.pid)).toBe(under('/r/unified', unified));
  });

  it('is undefined for a process that does not exist', () => {
    const memory: ControllerPlacement = { spec: MEMORY, files: MEMORY.files.v1, root: '/r/memory' };
    expect(cgroupDirOf(memory, 2 ** 30)).toBeUndefined();
  });
});

describe('warmCgroupAttach', () => {
  it('writes nothing into a directory that is only laid out like cgroupfs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtune-warmer-'));
    try {
      // Whatever /proc/self/cgroup names, under this root it would be this file or one below it.
      writeFileSync(join(dir, 'cgroup.procs'), '');
      const warmer = warmCgroupAttach({ spec: MEMORY, files: MEMORY.files.v1, root: dir });
      expect(isCgroupFs(dir)).toBe(false);
      // No write is ever started, so there is no event to wait for: a few periods pass.
      await new Promise((r) => setTimeout(r, ATTACH_WARM_PERIOD_MS * 5));
      expect(runningAttachWarmers()).toBe(0);
      warmer.stop();
      expect(warmer.writes).toBe(0);
      expect(readFileSync(join(dir, 'cgroup.procs'), 'utf8')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(skipUnless('root', 'cgroup-v1-memory'))('on the host v1 memory hierarchy', () => {
    const scratch = `virtune-test-warmer-${process.pid}-${randomBytes(3).toString('hex')}`;
    const children: ChildProcess[] = [];
    afterAll(async () => {
      for (const c of children) c.kill('SIGKILL');
      await removeCgroupDir(`${MEMORY_ROOT}/${scratch}`);
    });

    it('keeps writing this process into the cgroup it is in, and stops when told', async () => {
      const placement = HostCgroups.open()!.placements[0]!;
      const before = readFileSync('/proc/self/cgroup', 'utf8');
      const warmer = warmCgroupAttach(placement);
      expect(runningAttachWarmers()).toBe(1);
      await eventually(() => (warmer.writes >= 3 ? true : undefined), 10_000, 'three writes');
      warmer.stop();
      warmer.stop();
      expect(runningAttachWarmers()).toBe(0);
      const stoppedAt = warmer.writes;
      expect(readFileSync('/proc/self/cgroup', 'utf8')).toBe(before);
      // At most the write in flight at stop() completes.
      await new Promise((r) => setTimeout(r, ATTACH_WARM_PERIOD_MS * 5));
      expect(warmer.writes - stoppedAt).toBeLessThanOrEqual(1);
    });

    it('follows a process moved by someone else instead of moving it back', async () => {
      const placement = HostCgroups.open()!.placements[0]!;
      const a = `${MEMORY_ROOT}/${scratch}/a`;
      const b = `${MEMORY_ROOT}/${scratch}/b`;
      mkdirSync(a, { recursive: true });
      mkdirSync(b);
      const child = spawn('/bin/sh', ['-c', 'exec sleep 60'], { stdio: 'ignore' });
      children.push(child);
      writeFileSync(`${a}/cgroup.procs`, String(child.pid));
      const warmer = warmCgroupAttach(placement, child.pid!);
      try {
        await eventually(() => (warmer.writes >= 2 ? true : undefined), 10_000, 'two writes');
        expect(memoryPathOf(child.pid!)).toBe(`/${scratch}/a`);
        writeFileSync(`${b}/cgroup.procs`, String(child.pid));
        const seen = warmer.writes;
        await eventually(() => (warmer.writes >= seen + 3 ? true : undefined), 10_000, 'three more writes');
        expect(memoryPathOf(child.pid!)).toBe(`/${scratch}/b`);
      } finally {
        warmer.stop();
      }
    });
  });
});
