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

/** The shared copy of `s` (equal to it). */
export function intern(s: string): string {
  if (s.length > MAX_INTERNED_LENGTH) return s;
  const known = table.get(s);
  if (known !== undefined) return known;
  if (table.size >= MAX_INTERNED) table.clear();
  table.set(s, s);
  return s;
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
