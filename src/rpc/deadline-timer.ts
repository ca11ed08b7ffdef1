/**
 * One timer for the deadlines of every call in flight on a connection. A Node timer armed and cleared per call
 * cost more than encoding the call when many are in flight (and left a Timeout object per call for the garbage
 * collector); calls of one connection mostly share one timeout, so their deadlines arrive in order and one timer,
 * set for the earliest, serves them all. When it fires, `expire(now)` fails what is due and returns the next
 * deadline still pending (or Infinity), and the timer is set again for that.
 *
 * Times are `performance.now()` milliseconds.
 */
export class DeadlineTimer {
  #timer: NodeJS.Timeout | undefined;
  #at = Infinity;

  constructor(private readonly expire: (now: number) => number) {}

  /** Makes sure the timer fires no later than `deadline`. */
  arm(deadline: number): void {
    if (deadline >= this.#at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#at = deadline;
    // Node's timers count whole milliseconds and may fire a little early; `#fire` then finds nothing due and
    // sets the timer again for what is left, at least 1 ms later.
    this.#timer = setTimeout(() => this.#fire(), Math.max(1, Math.ceil(deadline - performance.now())));
  }

  /** Stops the timer for good (the connection closed). */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = -Infinity;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#at = Infinity;
    const next = this.expire(performance.now());
    if (next !== Infinity) this.arm(next);
  }
}
