import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainLocks } from '../../../src/drivers/common/domain-lock.js';

describe('DomainLocks', () => {
  it('runs tasks for one key one at a time, in call order, even when some fail', async () => {
    const locks = new DomainLocks();
    const log: string[] = [];
    let inside = 0;
    let maxInside = 0;
    const tasks = Array.from({ length: 50 }, (_, i) =>
      locks.run('dom', async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        log.push(`start ${i}`);
        await Promise.resolve();
        await new Promise((r) => setImmediate(r));
        log.push(`end ${i}`);
        inside--;
        if (i % 7 === 0) throw new Error(`task ${i}`);
        return i;
      }),
    );
    const results = await Promise.allSettled(tasks);
    expect(maxInside).toBe(1);
    expect(log).toEqual(Array.from({ length: 50 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
    results.forEach((r, i) => expect(r.status).toBe(i % 7 === 0 ? 'rejected' : 'fulfilled'));
    expect(locks.isBusy('dom')).toBe(false);
  });

  it('lets different keys run in parallel', async () => {
    const locks = new DomainLocks();
    let releaseA!: () => void;
    const a = locks.run('a', () => new Promise<void>((r) => (releaseA = r)));
    // b completes while a is still holding its own key.
    await locks.run('b', () => undefined);
    expect(locks.isBusy('a')).toBe(true);
    releaseA();
    await a;
  });

  it('any interleaving of read-modify-write tasks equals the serial order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 30 }), async (values) => {
        const locks = new DomainLocks();
        let state: number[] = [];
        await Promise.all(
          values.map((v) =>
            locks.run('k', async () => {
              const seen = state;
              await new Promise((r) => setImmediate(r));
              state = [...seen, v];
            }),
          ),
        );
        expect(state).toEqual(values);
      }),
      { numRuns: 30 },
    );
  });
});
