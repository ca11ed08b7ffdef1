// Cross-cutting suite (test/architecture/): the rules of docs/architecture.md checked on all of src/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../helpers/package-link.js';
import { TYPE_EXCEPTIONS } from './exceptions.js';
import { sourceFiles } from './import-graph.js';
import { UNITS, directoryOf } from './layers.js';

// docs/architecture.md must describe the tree as it is: every path it names exists, and every directory of src/
// and every layer of layers.ts is in it.

const DOC = 'docs/architecture.md';
const text = readFileSync(join(PACKAGE_ROOT, DOC), 'utf8');

/** Repository paths written anywhere in the doc (prose, code spans, code blocks): `src/…`, `test/…`, …. */
function repoPaths(): string[] {
  const re = /(?<![\w/.-])(?:src|test|bench|bin|docs|schemas)\/[\w./-]*[\w/]/g;
  return [...new Set(text.match(re) ?? [])];
}

/** Other file names in code spans (`package.json`, `README.md`): anything with an extension and no space. */
function rootFiles(): string[] {
  const spans = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  return spans.filter((s) => /^[\w.-]+\.(?:md|json|ts|js)$/.test(s) && !s.startsWith('.'));
}

/** Relative link targets, resolved against docs/. */
function linkTargets(): string[] {
  const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
  return links.filter((l) => !/^[a-z]+:/.test(l)).map((l) => join(dirname(DOC), l));
}

/** Directories the build makes (ignored by git): a fresh checkout lacks them, so they are checked in .gitignore. */
const GENERATED = ['docs/api/', 'dist/'];
const isGenerated = (p: string): boolean => GENERATED.some((g) => p === g.slice(0, -1) || p.startsWith(g));

describe(DOC, () => {
  it('names paths (a doc with none would pass the next test)', () => {
    expect(repoPaths().length).toBeGreaterThan(50);
  });

  it('names only paths that exist', () => {
    const named = [...repoPaths(), ...rootFiles(), ...linkTargets()].filter((p) => !isGenerated(p));
    expect(named.filter((p) => !existsSync(join(PACKAGE_ROOT, p)))).toEqual([]);
  });

  it('names generated directories only where the build puts them (listed in .gitignore)', () => {
    const ignored = readFileSync(join(PACKAGE_ROOT, '.gitignore'), 'utf8').split('\n');
    expect(GENERATED.filter((g) => !ignored.includes(g))).toEqual([]);
  });

  it('covers every directory of src/ and every file directly in it', () => {
    const dirs = [...new Set(sourceFiles(PACKAGE_ROOT).map(directoryOf))];
    const written = new Set(repoPaths().map((p) => p.replace(/\/$/, '')));
    expect(dirs.filter((d) => !written.has(d))).toEqual([]);
  });

  it('describes every layer of the checked table (test/architecture/layers.ts)', () => {
    expect(UNITS.map((u) => u.name).filter((n) => !text.includes(n))).toEqual([]);
  });

  it('lists every type-only exception by its target file', () => {
    const section = text.slice(text.indexOf('## Known exceptions'));
    expect(TYPE_EXCEPTIONS.map((x) => x.to).filter((to) => !section.includes(`\`${to}\``))).toEqual([]);
  });
});
