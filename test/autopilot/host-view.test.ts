import { describe, expect, it } from 'vitest';
import { readHostView } from '../../src/autopilot/index.js';
import { ErrorCode, VirError } from '../../src/errors.js';

describe('readHostView', () => {
  it('reads this host’s memory from /proc', () => {
    const view = readHostView();
    expect(view.memTotalKiB).toBeGreaterThan(0);
    expect(view.memAvailableKiB).toBeLessThanOrEqual(view.memTotalKiB);
  });

  // Node 20 aborted the whole process on readFileSync(-0, 'utf8'): the hostile-inputs property found it in CI.
  it.each([[-0], [0], [1.5], [{}], [null]])('refuses %s as a path with INVALID_ARG instead of reaching the file system', (bad) => {
    for (const args of [[bad], ['/proc/meminfo', bad]] as unknown[][]) {
      let caught: unknown;
      try {
        (readHostView as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(VirError);
      expect((caught as VirError).code).toBe(ErrorCode.INVALID_ARG);
    }
  });
});
