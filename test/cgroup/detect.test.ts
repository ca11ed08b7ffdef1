import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostCgroups } from '../../src/cgroup/controller.js';
import { MEMORY } from '../../src/cgroup/controllers.js';
import { parseMountinfo } from '../../src/cgroup/detect.js';
import { populateV2 } from '../helpers/fake-cgroupfs.js';

const HYBRID = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;

describe('parseMountinfo', () => {
  it('finds v1 memory and the unified mount on a hybrid host', () => {
    expect(parseMountinfo(HYBRID)).toEqual({
      mode: 'hybrid',
      v1: { cpu: '/sys/fs/cgroup/cpu', memory: '/sys/fs/cgroup/memory' },
      unified: '/sys/fs/cgroup/unified',
    });
  });

  it('recognises a pure v2 host', () => {
    const text = '29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate';
    expect(parseMountinfo(text)).toEqual({ mode: 'v2', v1: {}, unified: '/sys/fs/cgroup' });
  });

  it('recognises pure v1 with co-mounted controllers and optional fields', () => {
    const text = '35 31 0:32 / /sys/fs/cgroup/memory,cpu rw shared:9 master:2 - cgroup cgroup rw,cpu,memory';
    expect(parseMountinfo(text)).toEqual({ mode: 'v1', v1: { cpu: '/sys/fs/cgroup/memory,cpu', memory: '/sys/fs/cgroup/memory,cpu' } });
  });

  it('unescapes mount points and reports none without cgroups', () => {
    expect(parseMountinfo('35 31 0:32 / /mnt/my\\040cg rw - cgroup cgroup rw,memory').v1.memory).toBe('/mnt/my cg');
    expect(parseMountinfo('22 1 8:1 / / rw - ext4 /dev/sda1 rw')).toEqual({ mode: 'none', v1: {} });
  });

  it('reads this host', async () => {
    const { detectCgroupLayout } = await import('../../src/cgroup/detect.js');
    expect(['v1', 'v2', 'hybrid', 'none']).toContain(detectCgroupLayout().mode);
  });
});

describe('HostCgroups.open from a mountinfo file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(`${tmpdir()}/virtune-detect-${process.pid}-`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const mountinfo = (lines: string[]): string => {
    writeFileSync(`${dir}/mountinfo`, `${lines.join('\n')}\n`);
    return `${dir}/mountinfo`;
  };

  it('takes the cgroup2 mount of a pure v2 host when its controllers include memory', () => {
    mkdirSync(`${dir}/unified`);
    populateV2(`${dir}/unified`);
    const c = HostCgroups.open({ mountinfoPath: mountinfo([`29 23 0:26 / ${dir}/unified rw - cgroup2 cgroup2 rw`]) });
    expect(c?.filesOf(MEMORY).version).toBe('v2');
    expect(c?.root).toBe(`${dir}/unified`);
  });

  it('prefers the v1 memory hierarchy on a hybrid host, and finds none without a memory controller', () => {
    mkdirSync(`${dir}/memory`);
    writeFileSync(`${dir}/memory/memory.limit_in_bytes`, '9223372036854771712\n');
    mkdirSync(`${dir}/unified`);
    writeFileSync(`${dir}/unified/cgroup.controllers`, '\n');
    const hybrid = mountinfo([
      `35 31 0:32 / ${dir}/memory rw - cgroup cgroup rw,memory`,
      `41 31 0:38 / ${dir}/unified rw - cgroup2 cgroup2 rw`,
    ]);
    expect(HostCgroups.open({ mountinfoPath: hybrid })?.filesOf(MEMORY).version).toBe('v1');
    expect(HostCgroups.open({ mountinfoPath: hybrid })?.root).toBe(`${dir}/memory`);
    // cgroup2 mounted, but its cgroup.controllers lacks memory: no controller at all.
    const v2NoMemory = mountinfo([`41 31 0:38 / ${dir}/unified rw - cgroup2 cgroup2 rw`]);
    expect(HostCgroups.open({ mountinfoPath: v2NoMemory })).toBeUndefined();
  });
});
