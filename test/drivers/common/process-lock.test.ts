import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainLocks, PROCESS_LOCK_LINGER_MS } from '../../../src/drivers/common/domain-lock.js';
import { acquireProcessLock } from '../../../src/drivers/common/process-lock.js';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { runChildUntilLine } from '../../helpers/child-until-line.js';

const child = fileURLToPath(new URL('./lock-child.mjs', import.meta.url));
const dir = mkdtempSync(`${tmpdir()}/virtune-lock-${process.pid}-`);
const unique = (): string => `test-${process.pid}-${randomBytes(6).toString('hex')}`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the cross-process lock', () => {
  it('excludes other processes: 4 processes × 50 read-modify-writes of one file lose none', async () => {
    const ns = unique();
    const file = `${dir}/counter`;
    writeFileSync(file, '0');
    await Promise.all(Array.from({ length: 4 }, () => promisify(execFile)(process.execPath, [child, 'count', ns, file, '50'])));
    expect(Number(readFileSync(file, 'utf8'))).toBe(200);
  });

  it('is freed by the kernel when its holder is SIGKILLed', async () => {
    const ns = unique();
    const holder = await runChildUntilLine(child, ['hold', ns]);
    await expect(acquireProcessLock(ns, 'k', ErrorDomain.LXC, 50)).rejects.toMatchObject({ code: ErrorCode.OPERATION_TIMEOUT });
    const waiting = acquireProcessLock(ns, 'k', ErrorDomain.LXC, 10_000);
    await holder.kill();
    // The waiter is woken by the kernel closing the dead holder's socket, well before its own deadline.
    (await waiting).release();
  });

  it('gives up after its timeout with OPERATION_TIMEOUT, and leaves no connection behind', async () => {
    const ns = unique();
    const held = await acquireProcessLock(ns, 'k', ErrorDomain.LXC);
    await expect(acquireProcessLock(ns, 'k', ErrorDomain.LXC, 30)).rejects.toMatchObject({ code: ErrorCode.OPERATION_TIMEOUT });
    held.release();
    (await acquireProcessLock(ns, 'k', ErrorDomain.LXC, 1000)).release();
  });

  it('separates keys and namespaces', async () => {
    const ns = unique();
    const a = await acquireProcessLock(ns, 'a', ErrorDomain.LXC);
    const b = await acquireProcessLock(ns, 'b', ErrorDomain.LXC, 1000);
    const other = await acquireProcessLock(unique(), 'a', ErrorDomain.LXC, 1000);
    for (const l of [a, b, other]) l.release();
  });

  it('keeps an idle lock for the next task of its process, and hands it over at once to anyone who asks', async () => {
    const ns = unique();
    const locks = new DomainLocks({ namespace: ns, errorDomain: ErrorDomain.LXC });
    const first = await locks.run('dom', () => locks.continuity('dom'));
    const second = await locks.run('dom', () => locks.continuity('dom'));
    expect(first).toBeDefined();
    // Held without a break between the two tasks: no other process can have had it.
    expect(second).toBe(first);
    // Another holder (here this process's own acquisition, as another process would) gets it well before the
    // linger ends, and the next task of `locks` takes it again: a break, which continuity shows.
    const other = await acquireProcessLock(ns, 'dom', ErrorDomain.LXC, PROCESS_LOCK_LINGER_MS / 2);
    other.release();
    const third = await locks.run('dom', () => locks.continuity('dom'));
    expect(third).not.toBe(first);
    locks.releaseIdle();
    (await acquireProcessLock(ns, 'dom', ErrorDomain.LXC, 50)).release();
  });

  it('excludes two DomainLocks of one process on the same root (two connections)', async () => {
    const shared = { namespace: unique(), errorDomain: ErrorDomain.LXC };
    const one = new DomainLocks(shared);
    const two = new DomainLocks(shared);
    let state = 0;
    let inside = 0;
    let maxInside = 0;
    const bump = async (): Promise<void> => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      const seen = state;
      await new Promise((r) => setImmediate(r));
      state = seen + 1;
      inside--;
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).run('dom', bump)));
    expect(state).toBe(40);
    expect(maxInside).toBe(1);
  });
});
