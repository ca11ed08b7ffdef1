import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/cgroup/detect.js';

const HYBRID = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;

describe('parseMountinfo', () => {
  it('finds v1 memory and the unified mount on a hybrid host', () => {
    expect(parseMountinfo(HYBRID)).toEqual({ mode: 'hybrid', v1Memory: '/sys/fs/cgroup/memory', unified: '/sys/fs/cgroup/unified' });
  });

  it('recognises a pure v2 host', () => {
    const text = '29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate';
    expect(parseMountinfo(text)).toEqual({ mode: 'v2', unified: '/sys/fs/cgroup' });
  });

  it('recognises pure v1 with co-mounted controllers and optional fields', () => {
    const text = '35 31 0:32 / /sys/fs/cgroup/memory,cpu rw shared:9 master:2 - cgroup cgroup rw,cpu,memory';
    expect(parseMountinfo(text)).toEqual({ mode: 'v1', v1Memory: '/sys/fs/cgroup/memory,cpu' });
  });

  it('unescapes mount points and reports none without cgroups', () => {
    expect(parseMountinfo('35 31 0:32 / /mnt/my\\040cg rw - cgroup cgroup rw,memory').v1Memory).toBe('/mnt/my cg');
    expect(parseMountinfo('22 1 8:1 / / rw - ext4 /dev/sda1 rw')).toEqual({ mode: 'none' });
  });

  it('reads this host', async () => {
    const { detectCgroupLayout } = await import('../../src/cgroup/detect.js');
    expect(['v1', 'v2', 'hybrid', 'none']).toContain(detectCgroupLayout().mode);
  });
});
