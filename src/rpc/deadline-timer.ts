/**
 * Deadlines of the RPC layer — every call in flight, keepalive intervals, the connect and the linger after a close
 * — on one Node timer for the whole process. A Node timer armed and cleared per call cost more than encoding the
 * call when many were in flight; one per connection (deadlines, keepalive, connect, linger) was still ~15 µs of
 * the ~240 µs of client CPU an open + call + close spends (the timer lists' insert and unenroll, libuv's now).
 * Each DeadlineTimer asks to be woken at a time; the shared timer is set for the earliest of all, and when it
 * fires, every DeadlineTimer that is due gets `expire(now)`, which returns the next time it wants (or Infinity).
 * Calls of one connection mostly share one timeout, so their deadlines arrive in order and a connection's
 * DeadlineTimer waits for the earliest only.
 *
 * The shared timer does not keep the process alive (it is unref'd): what does while something waits is its
 * socket or child process. Times are `performance.now()` milliseconds.
 */
export class DeadlineTimer {
  static #armed = new Set<DeadlineTimer>();
  static #timer: NodeJS.Timeout | undefined;
  static #timerAt = Infinity;

  /** When this one wants to be woken: Infinity for never, -Infinity once stopped for good. */
  #at = Infinity;

  constructor(private readonly expire: (now: number) => number) {}

  /** Makes sure `expire` runs no later than `deadline` (a little after it, as any timer). */
  arm(deadline: number): void {
    if (deadline >= this.#at) return;
    this.#at = deadline;
    DeadlineTimer.#armed.add(this);
    DeadlineTimer.#schedule(deadline);
  }

  /** Stops it for good (the connection closed): `expire` is not called again and later arms do nothing. */
  stop(): void {
    this.#at = -Infinity;
    DeadlineTimer.#armed.delete(this);
  }

  static #schedule(at: number): void {
    if (at >= DeadlineTimer.#timerAt) return;
    if (DeadlineTimer.#timer !== undefined) clearTimeout(DeadlineTimer.#timer);
    DeadlineTimer.#timerAt = at;
    // Node's timers count whole milliseconds and may fire a little early; `#fire` then finds nothing due and sets
    // the timer again for what is left, at least 1 ms later.
    DeadlineTimer.#timer = setTimeout(DeadlineTimer.#fire, Math.max(1, Math.ceil(at - performance.now())));
    DeadlineTimer.#timer.unref();
  }

  static #fire = (): void => {
    DeadlineTimer.#timer = undefined;
    DeadlineTimer.#timerAt = Infinity;
    const now = performance.now();
    const due: DeadlineTimer[] = [];
    for (const t of DeadlineTimer.#armed) if (t.#at <= now) due.push(t);
    for (const t of due) {
      DeadlineTimer.#armed.delete(t);
      t.#at = Infinity;
      try {
        const next = t.expire(now);
        if (next !== Infinity) t.arm(next);
      } catch (e) {
        // Not a reason to skip the others' deadlines; the error still surfaces, as from a timer of its own.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
    let next = Infinity;
    for (const t of DeadlineTimer.#armed) if (t.#at < next) next = t.#at;
    if (next !== Infinity) DeadlineTimer.#schedule(next);
  };
}
