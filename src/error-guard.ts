// The guard at the package's surface: whatever a public function or method is given, it returns or throws a
// VirError. Not exported by the package (src/index.ts star-exports errors.ts, not this file).
import { ErrorCode, ErrorDomain, VirError } from './errors.js';

export { knownErrorDomain } from './error-codes.js';

/** The constructor's name of a thrown value, for a message; never throws (a revoked Proxy throws when asked). */
function kindOf(e: unknown): string {
  try {
    return e instanceof Error ? `${e.constructor.name}: ${String(e.message).slice(0, 200)}` : typeof e;
  } catch {
    return 'unknown';
  }
}

/**
 * `e` as a VirError: itself when it is one; otherwise INVALID_ARG `NAME: an argument cannot be used (KIND)`, with
 * `e` as its `cause`. What reaches here is an argument the function cannot use — `undefined` where an object
 * belongs, a Proxy whose traps throw, a `toString` that throws, a getter that answers differently on a second
 * read: libvirt's API refuses such input with INVALID_ARG, and a caller must never see another error type.
 */
export function asVirError(e: unknown, name: string, domain: ErrorDomain = ErrorDomain.NONE): VirError {
  if (e instanceof VirError) return e;
  return new VirError(ErrorCode.INVALID_ARG, domain, `${name}: an argument cannot be used (${kindOf(e)})`, { cause: e });
}

/** What {@link publicEntry} lets through unchanged besides VirError (a subpath's own documented error types). */
export type ErrorPassthrough = (e: unknown) => boolean;

/**
 * `fn` as a public entry point: it returns what `fn` returns, and whatever it throws (or its promise rejects with)
 * is a VirError ({@link asVirError}). The package's index files export their functions through this.
 */
export function publicEntry<F extends (...args: never[]) => unknown>(fn: F, passes?: ErrorPassthrough): F {
  const name = fn.name;
  const convert = (e: unknown): unknown => (passes?.(e) ? e : asVirError(e, name));
  const entry = function (this: unknown, ...args: never[]): unknown {
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (e) {
      throw convert(e);
    }
    return result instanceof Promise ? result.catch((e: unknown) => Promise.reject(convert(e))) : result;
  };
  Object.defineProperty(entry, 'name', { value: name });
  return entry as F;
}

/**
 * Every method of a class's prototype as a {@link publicEntry}, in place: the methods of the handles the package
 * gives out (Connection, Domain, ...) throw only VirErrors, including methods added later.
 */
export function guardMethods(proto: object, passes?: ErrorPassthrough): void {
  for (const key of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (key === 'constructor' || typeof d?.value !== 'function') continue;
    Object.defineProperty(proto, key, { ...d, value: publicEntry(d.value as (...args: never[]) => unknown, passes) });
  }
}

/**
 * A value as a message may quote it: a string as itself, a number, bigint or boolean as written, anything else by
 * its type only. Interpolating a caller's object would run its toString, or join an array-like of length 2^32 - 1.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'bigint':
      return `${value}n`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    default:
      return value === null ? 'null' : `(${typeof value})`;
  }
}

/**
 * Most entries a caller's list may have where the package walks it (parameters, names, families, hosts). Far above
 * any real use; it keeps a sparse array of length 2^32 - 1 from costing minutes before anything is checked.
 */
export const MAX_LIST_ENTRIES = 1024;

/**
 * A caller's array read once, entry by entry, into one of our own: whatever the caller's object does later (a
 * getter answering differently, a Proxy, a length that grows) the package sees the same values. Not an array, or
 * longer than `max` ({@link MAX_LIST_ENTRIES} unless said): `refuse()`. Anything the reading throws becomes INVALID_ARG.
 */
export function readList(
  list: unknown,
  what: string,
  refuse: (reason: string) => VirError,
  domain = ErrorDomain.NONE,
  max = MAX_LIST_ENTRIES,
): unknown[] {
  try {
    if (!Array.isArray(list)) throw refuse(`${what} must be an array`);
    const n: unknown = list.length;
    if (typeof n !== 'number' || n > max) throw refuse(`too many ${what}: ${describeValue(n)}, at most ${max}`);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = (list as unknown[])[i];
    return out;
  } catch (e) {
    throw asVirError(e, what, domain);
  }
}

/** The INVALID_ARG refusal {@link readList} reports by default. */
export function invalidArgument(reason: string): VirError {
  return new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, reason);
}
