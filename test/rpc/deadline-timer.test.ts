/**
 * The process-wide deadline timer: DeadlineTimers of different connections share one Node timer, and each still
 * fires at (not before) its own time, in order, re-arms when asked and stays quiet once stopped.
 */
import { describe, expect, it } from 'vitest';
import { DeadlineTimer } from '../../src/rpc/deadline-timer.js';

/** A DeadlineTimer that resolves with the time it fired, once. */
function once(deadlineMs: number): { timer: DeadlineTimer; fired: Promise<number> } {
  let resolve!: (t: number) => void;
  const fired = new Promise<number>((r) => (resolve = r));
  const timer = new DeadlineTimer((now) => {
    resolve(now);
    return Infinity;
  });
  timer.arm(performance.now() + deadlineMs);
  return { timer, fired };
}

describe('DeadlineTimer', () => {
  it('fires each of several timers at or after its own deadline, earliest first, whatever order they were armed in', async () => {
    const t0 = performance.now();
    const late = once(120);
    const early = once(30);
    const middle = once(60);
    const [e, m, l] = await Promise.all([early.fired, middle.fired, late.fired]);
    expect(e - t0).toBeGreaterThanOrEqual(30);
    expect(m - t0).toBeGreaterThanOrEqual(60);
    expect(l - t0).toBeGreaterThanOrEqual(120);
    expect(e).toBeLessThanOrEqual(m);
    expect(m).toBeLessThanOrEqual(l);
  });

  it('never fires a stopped timer, and a stopped timer ignores later arms; the others still fire', async () => {
    let stoppedFired = 0;
    const stopped = new DeadlineTimer(() => {
      stoppedFired++;
      return Infinity;
    });
    stopped.arm(performance.now() + 10);
    const other = once(40);
    stopped.stop();
    stopped.arm(performance.now() + 5);
    await other.fired;
    expect(stoppedFired).toBe(0);
  });

  it('fires again at the time expire returns, until it returns Infinity', async () => {
    const times: number[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const periodic = new DeadlineTimer((now) => {
      times.push(now);
      if (times.length < 3) return now + 15;
      done();
      return Infinity;
    });
    periodic.arm(performance.now() + 15);
    await finished;
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(15);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(15);
  });

  it('moves a timer earlier when armed again with an earlier deadline, never later', async () => {
    const t0 = performance.now();
    const x = once(2_000);
    x.timer.arm(t0 + 20);
    x.timer.arm(t0 + 5_000);
    const at = await x.fired;
    expect(at - t0).toBeGreaterThanOrEqual(20);
    expect(at - t0).toBeLessThan(2_000);
  });
});
