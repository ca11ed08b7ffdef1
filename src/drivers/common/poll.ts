/** How {@link pollUntil} spaces its checks, ms. */
export interface PollInterval {
  /** The first wait; each later one doubles, up to `maxMs`. */
  firstMs?: number;
  maxMs?: number;
}

/**
 * Checks `done` until it holds or `timeoutMs` passes; returns whether it held. Used where the kernel gives no
 * event to wait for (a non-child process ending, a cgroup the kernel still holds). Waits start short and
 * double, so a quick end is seen quickly and a slow one costs few checks; no wait runs past the deadline.
 * An exception from `done` ends the polling and is thrown.
 */
export async function pollUntil(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  { firstMs = 5, maxMs = 100 }: PollInterval = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = firstMs; ; delay = Math.min(delay * 2, maxMs)) {
    if (await done()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
  }
}
