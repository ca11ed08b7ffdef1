import { keepNode, type RawAttr, type RawElementNode, type RawNode } from './raw.js';

/**
 * Where kept (unmodelled) XML goes back. Elements libvirt knows come out in libvirt's order (their rank in the
 * parent's slot table); anything else follows the element it followed in the input. Modelled elements that may
 * be left out of the output (title, memtune, ...) are never used as anchors, so formatting and parsing again
 * gives the same placement.
 */
export interface PlacedNode {
  /** Slot rank; x.5 means "right after the element of rank x". */
  rank: number;
  node: RawNode;
}

/** What an element virtune models keeps of its unmodelled content. */
export interface Extras {
  attrs?: RawAttr[];
  children?: PlacedNode[];
}

/** A parent's known children: rank by name, and which of them virtune models. */
export interface SlotTable {
  rank: ReadonlyMap<string, number>;
  /** Modelled names; their elements are read by the parser, not kept. */
  modeled: ReadonlySet<string>;
  /** Modelled names that may be absent from the output; never anchors. */
  optional: ReadonlySet<string>;
}

/** Builds a slot table from libvirt's output order. */
export function slotTable(order: readonly string[], modeled: readonly string[], optional: readonly string[]): SlotTable {
  return {
    rank: new Map(order.map((n, i) => [n, i])),
    modeled: new Set(modeled),
    optional: new Set(optional),
  };
}

/** A kept node before its place is final: the optional modelled elements that preceded it may anchor it. */
interface PendingNode extends PlacedNode {
  /** Optional modelled elements seen since the last fixed anchor, in input order. */
  candidates: string[] | undefined;
}

/** The children of an element split into modelled ones (by name, in order) and kept nodes still to be placed. */
export interface ScannedChildren {
  modeled: Map<string, RawElementNode[]>;
  pending: PendingNode[];
}

/**
 * `list` with `name` moved (or added) to its end. Only the last occurrence of a name matters to
 * {@link placeKept}, so the list holds each name once and stays as short as the slot table's optional names,
 * however often an element repeats.
 */
function withLast(list: string[] | undefined, name: string): string[] {
  const out = list ? list.filter((n) => n !== name) : [];
  out.push(name);
  return out;
}

/**
 * Splits `parent`'s children into the modelled elements (all occurrences, in order) and the kept rest.
 * Whitespace text is dropped; other stray text is dropped too, as libvirt ignores it.
 */
export function scanChildren(parent: RawElementNode, table: SlotTable, depth: number): ScannedChildren {
  const modeled = new Map<string, RawElementNode[]>();
  const pending: PendingNode[] = [];
  let anchor = -1;
  let candidates: string[] | undefined;
  for (const child of parent.children) {
    if (child.k === 't' || child.k === 'cdata') continue;
    if (child.k === 'e') {
      const el = child;
      const name = el.name;
      if (!name.includes(':')) {
        if (table.modeled.has(name)) {
          const list = modeled.get(name);
          if (list) list.push(el);
          else modeled.set(name, [el]);
          if (table.optional.has(name)) candidates = withLast(candidates, name);
          else {
            anchor = table.rank.get(name)!;
            candidates = undefined;
          }
          continue;
        }
        const rank = table.rank.get(name);
        if (rank !== undefined) {
          pending.push({ rank, node: keepNode(el, depth + 1), candidates: undefined });
          anchor = rank;
          candidates = undefined;
          continue;
        }
      }
    }
    const node = keepNode(child, depth + 1);
    pending.push({ rank: Number.isInteger(anchor) ? anchor + 0.5 : anchor, node, candidates });
    if (!Number.isInteger(anchor)) continue;
    anchor += 0.5;
  }
  return { modeled, pending };
}

/**
 * Final places of kept nodes. A node that followed optional modelled elements stays after the last of them that
 * will be written (`printed` says which); otherwise it follows its fixed anchor. Sorted by rank, stably.
 */
export function placeKept(
  scanned: ScannedChildren,
  table: SlotTable,
  printed: (name: string) => boolean,
): PlacedNode[] {
  const out: PlacedNode[] = [];
  let lastResolved = -Infinity;
  let runBase = NaN;
  for (const p of scanned.pending) {
    let rank = p.rank;
    if (rank !== runBase) lastResolved = -Infinity;
    runBase = rank;
    const c = p.candidates;
    if (c) {
      for (let i = c.length - 1; i >= 0; i--) {
        if (printed(c[i]!)) {
          rank = Math.max(rank, table.rank.get(c[i]!)! + 0.5);
          break;
        }
      }
    }
    // Kept nodes following the same fixed anchor keep their input order.
    if (!Number.isInteger(rank) && rank < lastResolved) rank = lastResolved;
    lastResolved = rank;
    out.push({ rank, node: p.node });
  }
  return out.sort((a, b) => a.rank - b.rank);
}

/** A modelled child ready to be written: its rank and a function that writes it. */
export type ModeledWriter = readonly [rank: number, write: () => void];

/**
 * Writes modelled children and kept nodes merged by rank; at equal rank the modelled one goes first.
 * `kept` must be sorted by rank (placeKept sorts it, stably).
 */
export function writeMerged(
  modeled: readonly ModeledWriter[],
  kept: readonly PlacedNode[] | undefined,
  writeKept: (n: RawNode) => void,
): void {
  let k = 0;
  const ks = kept ?? [];
  for (const [rank, write] of modeled) {
    while (k < ks.length && ks[k]!.rank < rank) writeKept(ks[k++]!.node);
    write();
  }
  while (k < ks.length) writeKept(ks[k++]!.node);
}
