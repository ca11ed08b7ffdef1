import type { ImportEdge } from './import-graph.js';

/**
 * The groups of nodes that import each other round a cycle (strongly connected components of more than one
 * node, Tarjan's algorithm), each sorted, for `edges` mapped to nodes by `nodeOf` (a file's directory, say).
 * Edges inside one node are ignored.
 */
export function cycles(edges: readonly ImportEdge[], nodeOf: (path: string) => string): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.to === undefined) continue;
    const a = nodeOf(e.from);
    const b = nodeOf(e.to);
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}
