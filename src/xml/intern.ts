// Strings and amounts a stored definition keeps: in memory of their own, and shared where a fleet repeats them.

/**
 * The shortest substring V8 answers with a view into its whole text (a sliced string) rather than a copy; a
 * concatenation starts being a tree over its parts (a cons string) at the same length. A definition that kept
 * such a string would keep its whole document alive: a domain named `web-server-01` would hold every byte of the
 * XML it was defined from.
 */
export const MIN_VIEW_LENGTH = 13;

/** Above this length a text is copied through a Buffer: JSON's round trip costs one escape per control character. */
const LONG_TEXT = 4096;
const NOT_LATIN1 = /[^\x00-\xff]/;

/** `s` in memory of its own (equal to it), sharing nothing with the text it was cut from. */
export function ownString(s: string): string {
  if (s.length < MIN_VIEW_LENGTH) return s;
  // JSON's round trip is the one copy the language offers that V8 always makes flat and whole; measured
  // ~0.2 µs for a short value, and only values of 13 characters or more need it.
  if (s.length < LONG_TEXT) return JSON.parse(JSON.stringify(s)) as string;
  // A long kept text (a hostile <metadata> of 9 MB of line ends took 0.3 s through JSON, 18 MB of `\n`): node's
  // decoders make a new flat string, one byte per character when every character fits in one (lone surrogates kept).
  const encoding = NOT_LATIN1.test(s) ? 'utf16le' : 'latin1';
  return Buffer.from(s, encoding).toString(encoding);
}

/**
 * One shared copy of the short strings definitions repeat by the thousand (domain and OS types, architectures,
 * machine types, boot devices, lifecycle actions, device models): a fleet of domains defined from one template
 * then holds each such value once instead of once per domain. Bounded: values longer than
 * {@link MAX_INTERNED_LENGTH} are returned as they are, and after {@link MAX_INTERNED} values the table starts
 * over (values interned before stay shared where they are held).
 */
const table = new Map<string, string>();

/** Longest value interned. */
export const MAX_INTERNED_LENGTH = 64;
/** Values remembered before the table starts over. */
export const MAX_INTERNED = 4096;

/** The shared copy of `s` when it has one, else undefined (adds nothing). */
export function interned(s: string): string | undefined {
  return table.get(s);
}

/** The shared copy of `s` (equal to it). */
export function intern(s: string): string {
  if (s.length > MAX_INTERNED_LENGTH) return s;
  const known = table.get(s);
  if (known !== undefined) return known;
  if (table.size >= MAX_INTERNED) table.clear();
  // A copy of its own: `s` may be a view into a whole document, which the table would then keep.
  const own = ownString(s);
  table.set(own, own);
  return own;
}

const amounts = new Map<bigint, bigint>();

/**
 * The shared copy of a parsed amount (equal to it). Every `bigint` a definition holds is an object of its own (24
 * bytes), and a fleet's definitions repeat a few sizes (`<memory>`, `<currentMemory>`, memtune's limits).
 * Bounded as {@link intern} is.
 */
export function internAmount(v: bigint): bigint {
  const known = amounts.get(v);
  if (known !== undefined) return known;
  if (amounts.size >= MAX_INTERNED) amounts.clear();
  amounts.set(v, v);
  return v;
}
