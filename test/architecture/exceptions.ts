import type { ImportEdge } from './import-graph.js';

/**
 * The imports that point up or sideways, each type-only (erased at compile time, so they never load a module or
 * order module evaluation). Each names the exact target file. They are the only ones: a new one goes here, with its
 * reason, and into docs/architecture.md ("Known exceptions"). An entry no import uses any more fails the suite, so
 * the list shrinks when the code improves.
 */
export interface TypeException {
  /** Which importing files it covers. */
  from: RegExp;
  /** The one file they may import (with `import type`). */
  to: string;
  /** Why, in one line (docs/architecture.md says the same). */
  why: string;
}

export const TYPE_EXCEPTIONS: readonly TypeException[] = [
  {
    from: /^src\/memory\//,
    to: 'src/xml/domain-def.ts',
    why: 'MemTune, the shape of <memtune>, is defined by the XML model; memory/ validates values of that shape',
  },
  {
    from: /^src\/events\.ts$/,
    to: 'src/driver.ts',
    why: 'events name domains by DomainRef, as the driver table does (both files are one layer)',
  },
  {
    from: /^src\/(driver\.ts|drivers\/)/,
    to: 'src/connection/uri.ts',
    why: 'a DriverFactory opens a parsed VirURI; drivers read its path and query',
  },
];

/** The exception that allows `edge`, if it is type-only and one matches. */
export function exceptionFor(edge: ImportEdge): TypeException | undefined {
  if (edge.kind !== 'type') return undefined;
  return TYPE_EXCEPTIONS.find((x) => x.from.test(edge.from) && edge.to === x.to);
}
