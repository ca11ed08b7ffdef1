// The range a flags argument must be in, shared by checkFlags (src/errors.ts) and the public functions' own flag
// checks (src/drivers/common/affect.ts). Not exported by the package: src/index.ts star-exports errors.ts, not this
// file, and errors.ts imports it, so it cannot import errors.ts (VirError) back.

/**
 * Whether `flags` is what libvirt's `unsigned int flags` can hold: an integer from 0 to 2^32 - 1. Checked before
 * any bit operation, because `&` on a caller's object would convert it (a huge array is joined).
 */
export function isFlagsWord(flags: unknown): flags is number {
  return typeof flags === 'number' && Number.isInteger(flags) && flags >= 0 && flags <= 0xffffffff;
}

/** What INVALID_ARG says of flags that are not {@link isFlagsWord}. */
export const FLAGS_RANGE_MESSAGE = 'flags must be an unsigned 32-bit integer';
