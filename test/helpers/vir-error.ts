import { VirError } from '../../src/errors.js';

/** The VirError `fn` throws; fails the test when it throws something else or nothing. */
export function virErrorOf(fn: () => unknown): VirError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VirError) return e;
    throw e;
  }
  throw new Error('expected a VirError');
}

/** The VirError `p` rejects with; fails the test when it rejects with something else or resolves. */
export async function rejection(p: Promise<unknown>): Promise<VirError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VirError) return e;
    throw e;
  }
  throw new Error('expected a VirError');
}
