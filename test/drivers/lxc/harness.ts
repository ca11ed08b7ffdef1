import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll } from 'vitest';
import type { Connection } from '../../../src/connection/connection.js';
import type { DomainEvent } from '../../../src/events.js';
import { parentDirs, removeCgroupDir } from '../../helpers/cgroup-dirs.js';
import { assertNoLeftovers, findLeftovers } from '../../helpers/leftovers.js';

/**
 * A private LXC root and a unique cgroup parent; `cleanup` removes exactly those and what is inside, and fails
 * when the driver left a container cgroup, a process or a socket there (call it after the domains were stopped).
 */
export interface LxcTestEnv {
  root: string;
  parent: string;
  uri: string;
  cleanup(): Promise<void>;
}

export function makeLxcEnv(): LxcTestEnv {
  const root = mkdtempSync(`${tmpdir()}/virtune-lxc-${process.pid}-`);
  const parent = `virtune-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  return {
    root,
    parent,
    uri: `lxc:///embed?root=${encodeURIComponent(root)}&cgroup_parent=${parent}`,
    async cleanup() {
      const cgroupDirs = parentDirs(parent);
      // Looked at before the forced cleanup, which would otherwise hide what the driver leaked.
      const leftovers = findLeftovers({ cgroupDirs, socketsUnder: root });
      // Only our unique parent: whatever a failed test left running in it is ours.
      for (const dir of cgroupDirs) await removeCgroupDir(dir);
      rmSync(root, { recursive: true, force: true });
      assertNoLeftovers(leftovers, 'the LXC driver');
    },
  };
}

/**
 * A {@link makeLxcEnv} for the calling describe block: made before its first test, cleaned up (and checked for
 * leftovers) after its last. Its fields are read through to that env, so read them inside tests and hooks only.
 */
export function lxcEnvPerBlock(): LxcTestEnv {
  let current: LxcTestEnv | undefined;
  beforeAll(() => {
    current = makeLxcEnv();
  });
  afterAll(async () => {
    await current?.cleanup();
  });
  const env = (): LxcTestEnv => {
    if (!current) throw new Error('the LXC env exists only inside tests and hooks');
    return current;
  };
  return {
    get root() {
      return env().root;
    },
    get parent() {
      return env().parent;
    },
    get uri() {
      return env().uri;
    },
    cleanup: () => env().cleanup(),
  };
}

/** Resolves with the first event matching `match`; rejects after `timeoutMs`. */
export function waitForEvent(conn: Connection, match: (e: DomainEvent) => boolean, timeoutMs = 20_000): Promise<DomainEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      conn.off('event', on);
      reject(new Error('timed out waiting for an event'));
    }, timeoutMs);
    const on = (e: DomainEvent): void => {
      if (!match(e)) return;
      clearTimeout(timer);
      conn.off('event', on);
      resolve(e);
    };
    conn.on('event', on);
  });
}
