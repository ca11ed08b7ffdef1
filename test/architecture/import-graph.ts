import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

/**
 * How one module reaches another: `value` is a static import or `export … from` that loads the module,
 * `type` is erased by the compiler (`import type`, `export type`, every name marked `type`, `import('…').T` in a
 * type), `dynamic` is `import('…')` at run time.
 */
export type ImportKind = 'value' | 'type' | 'dynamic';

/** One import of one of our modules by another, paths relative to the repository root (`src/cgroup/memory-v1.ts`). */
export interface ImportEdge {
  from: string;
  /** The imported file; undefined when the specifier is not a string literal (`import(name)`). */
  to: string | undefined;
  kind: ImportKind;
  /** 1-based line of the import, for messages. */
  line: number;
  /** The specifier as written (`../errors.js`), or the expression's text when it is not a literal. */
  specifier: string;
}

/** Every `.ts` file under `dir`, as root-relative POSIX paths, sorted. */
export function sourceFiles(root: string, dir = 'src'): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(join(root, d), { withFileTypes: true })) {
      const p = posix.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function allTypeOnly(elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>): boolean {
  return elements.length > 0 && elements.every((e) => e.isTypeOnly);
}

/** Whether an import declaration loads its module at run time (TS's verbatim rules: names all `type` are erased). */
function importKind(node: ts.ImportDeclaration): ImportKind {
  const clause = node.importClause;
  if (!clause) return 'value'; // `import './x.js'`: a side effect
  if (clause.isTypeOnly) return 'type';
  const named = clause.namedBindings;
  if (!clause.name && named && ts.isNamedImports(named) && allTypeOnly(named.elements)) return 'type';
  return 'value';
}

function exportKind(node: ts.ExportDeclaration): ImportKind {
  if (node.isTypeOnly) return 'type';
  const clause = node.exportClause;
  if (clause && ts.isNamedExports(clause) && allTypeOnly(clause.elements)) return 'type';
  return 'value';
}

/** The text of a specifier written as a string literal (`'../x.js'`, or `import('../x.js')` in a type). */
function literalText(spec: ts.Node): string | undefined {
  if (ts.isStringLiteralLike(spec)) return spec.text;
  if (ts.isLiteralTypeNode(spec) && ts.isStringLiteral(spec.literal)) return spec.literal.text;
  return undefined;
}

/**
 * The imports of one file, found by TypeScript's own parser rather than a regular expression, so an import-like
 * string in a message or a comment (`Unable to read from '%s'`) is never taken for one. Only relative specifiers
 * are ours; `node:*` and packages are left out.
 */
export function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node, spec: ts.Node, kind: ImportKind): void => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    const literal = literalText(spec);
    if (literal === undefined) {
      edges.push({ from: file, to: undefined, kind, line, specifier: spec.getText(sf) });
      return;
    }
    if (!literal.startsWith('.')) return;
    const target = posix.normalize(posix.join(posix.dirname(file), literal)).replace(/\.js$/, '.ts');
    edges.push({ from: file, to: target, kind, line, specifier: literal });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, importKind(node));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node, node.moduleSpecifier, exportKind(node));
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg) add(node, arg, 'dynamic');
    } else if (ts.isImportTypeNode(node)) add(node, node.argument, 'type');
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

/** The imports of every file under `src/` of `root`. */
export function importGraph(root: string): ImportEdge[] {
  return sourceFiles(root).flatMap((f) => importsOf(root, f));
}

/** Whether an edge's target file exists (a wrong specifier would hide an edge from every rule). */
export function targetExists(root: string, edge: ImportEdge): boolean {
  return edge.to !== undefined && existsSync(join(root, edge.to));
}

/** `edge` as a reviewer reads it: `src/cgroup/memory-v1.ts:3 imports (value) src/cli/main.ts`. */
export function describeEdge(edge: ImportEdge): string {
  return `${edge.from}:${edge.line} imports (${edge.kind}) ${edge.to ?? edge.specifier}`;
}
