// Which members of an exported class are @internal: the build strips them from the declarations
// (tsconfig.build.json's stripInternal), so they are no part of the public surface.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

let cache: Map<string, Set<string>> | undefined;

/** Class name → the names of its members whose TSDoc says @internal (constructors included, as `constructor`). */
export function internalMembers(): Map<string, Set<string>> {
  if (cache) return cache;
  cache = new Map();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('@internal')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    sf.forEachChild(function visit(node) {
      if (ts.isClassDeclaration(node) && node.name) {
        const names = cache!.get(node.name.text) ?? new Set<string>();
        for (const m of node.members) {
          const doc = ts.getJSDocCommentsAndTags(m).map((d) => d.getText()).join('\n');
          if (!doc.includes('@internal')) continue;
          names.add(ts.isConstructorDeclaration(m) ? 'constructor' : m.name && ts.isIdentifier(m.name) ? m.name.text : '');
        }
        cache!.set(node.name.text, names);
      }
      node.forEachChild(visit);
    });
  }
  return cache;
}
