import type { CommandContext } from './context.js';

/** What `attempt` returns when the call failed; the messages are already recorded. */
export const FAILED: unique symbol = Symbol('failed');

/**
 * virsh's idiom for a library call inside a command: when it fails, the command prints its own `error: MESSAGE`
 * and the runner prints the library's error after it. Returns the call's result, or FAILED.
 */
export async function attempt<T>(
  ctl: CommandContext,
  message: string,
  call: () => Promise<T>,
): Promise<T | typeof FAILED> {
  try {
    return await call();
  } catch (e) {
    ctl.fail(message, e);
    return FAILED;
  }
}

/**
 * A library call whose failure the command does not word itself (virsh's `goto cleanup` after a failed call):
 * the runner prints the library's error. Returns the call's result, or FAILED.
 */
export async function attemptQuietly<T>(ctl: CommandContext, call: () => Promise<T>): Promise<T | typeof FAILED> {
  try {
    return await call();
  } catch (e) {
    ctl.setError(e);
    return FAILED;
  }
}
