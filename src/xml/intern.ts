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
