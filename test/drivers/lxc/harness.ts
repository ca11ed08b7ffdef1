import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Connection } from '../../../src/connection/connection.js';
import type { DomainEvent } from '../../../src/events.js';

/** The v1 memory hierarchy of this host. */
export const MEMORY_ROOT = '/sys/fs/cgroup/memory';

/** A private LXC root and a unique cgroup parent; `cleanup` removes exactly those and what is inside. */
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
      const dir = `${MEMORY_ROOT}/${parent}`;
      if (existsSync(dir)) {
        // Only our unique parent: whatever a failed test left running in it is ours.
        for (const child of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
          const cg = `${dir}/${child.name}`;
          const deadline = Date.now() + 10_000;
          for (;;) {
            const pids = readFileSync(`${cg}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).map(Number);
            for (const p of pids) {
              try {
                process.kill(p, 'SIGKILL');
              } catch {
                /* gone */
              }
            }
            try {
              rmdirSync(cg);
              break;
            } catch (e) {
              if (Date.now() > deadline) throw e;
              await new Promise((r) => setTimeout(r, 5));
            }
          }
        }
        rmdirSync(dir);
      }
      rmSync(root, { recursive: true, force: true });
    },
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

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function pollFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out polling');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The pids of a cgroup directory. */
export function cgroupPids(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readFileSync(`${dir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).map(Number);
}
