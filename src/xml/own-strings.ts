import { MIN_VIEW_LENGTH, interned, ownString } from './intern.js';
import type { RawNode } from './raw.js';

/**
 * The value a definition keeps for `s`: the shared copy when the parser interned it (a machine type, a device
 * model), else a copy of its own. Names, UUIDs and paths are not added to the shared table: they rarely repeat.
 */
function kept(s: string): string {
  return interned(s) ?? ownString(s);
}

/** Kept XML's attributes, in place: `[name, value]` pairs. */
function ownAttrs(attrs: Array<[string, string]>): void {
  for (const a of attrs) {
    if (a[0].length >= MIN_VIEW_LENGTH) a[0] = kept(a[0]);
    if (a[1].length >= MIN_VIEW_LENGTH) a[1] = kept(a[1]);
  }
}

/**
 * Replaces, in place, every string of a freshly parsed value (a definition and the XML it keeps) that could be a
 * view into the document with one of its own (see {@link MIN_VIEW_LENGTH}). Nothing in a fresh parse is shared
 * or frozen. Kept XML, the bulk of a large definition, is walked by its known shape; everything else by its keys.
 * An explicit stack, not recursion: kept XML nests as deep as the limits allow.
 */
export function ownStrings(root: object): void {
  const stack: object[] = [root];
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        const v: unknown = o[i];
        if (typeof v === 'string') {
          if (v.length >= MIN_VIEW_LENGTH) o[i] = kept(v);
        } else if (typeof v === 'object' && v !== null) {
          stack.push(v);
        }
      }
      continue;
    }
    const node = o as RawNode;
    switch (node.k) {
      case 'e':
        if (node.name.length >= MIN_VIEW_LENGTH) node.name = kept(node.name);
        ownAttrs(node.attrs);
        for (const c of node.children) stack.push(c);
        continue;
      case 't':
      case 'cdata':
      case 'c':
        if (node.text.length >= MIN_VIEW_LENGTH) node.text = kept(node.text);
        continue;
      case 'pi':
        if (node.name.length >= MIN_VIEW_LENGTH) node.name = kept(node.name);
        if (node.text.length >= MIN_VIEW_LENGTH) node.text = kept(node.text);
        continue;
      default:
        break;
    }
    const rec = o as Record<string, unknown>;
    // for-in rather than Object.keys: no array per object (plain data: nothing enumerable is inherited).
    for (const k in rec) {
      const v = rec[k];
      if (typeof v === 'string') {
        if (v.length >= MIN_VIEW_LENGTH) rec[k] = kept(v);
      } else if (typeof v === 'object' && v !== null) {
        stack.push(v);
      }
    }
  }
}
