// Cross-cutting suite: the machine CI starts from is new, so every program a test runs must be installed by
// .ci/run. This suite checks test/helpers/external-programs.ts against the tree and against Debian's package database.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_PROGRAMS } from '../helpers/external-programs.js';
import { skipForMissing, skipUnless, validatesTinyDomain } from '../helpers/prereq.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The package names in .ci/run's `need_pkgs=( ... )`. */
function ciPackages(): Set<string> {
  const text = readFileSync(join(ROOT, '.ci/run'), 'utf8');
  const list = /^need_pkgs=\(([^)]*)\)/m.exec(text)?.[1];
  if (list === undefined) throw new Error('.ci/run has no need_pkgs=( ... ) line');
  return new Set(list.split(/\s+/).filter(Boolean));
}

/** The file a program name runs: absolute as given, else the first executable on PATH (as spawn finds it). */
function resolveProgram(program: string): string | undefined {
  if (program.startsWith('/')) return program;
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    try {
      const file = join(dir, program);
      if (statSync(file).isFile()) return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * The Debian package that owns `file`. Debian 12 merged /bin into /usr/bin but dpkg still records the old paths,
 * and a link such as /bin/sh is recorded only as a diversion; so ask for the path, its target, and both without /usr.
 */
function owningPackage(file: string): string | undefined {
  const real = realpathSync(file);
  const candidates = [file, real, file.replace(/^\/usr(?=\/s?bin\/)/, ''), real.replace(/^\/usr(?=\/s?bin\/)/, '')];
  for (const path of new Set(candidates)) {
    let out: string;
    try {
      out = execFileSync('dpkg', ['-S', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      continue;
    }
    for (const line of out.split('\n')) {
      const m = /^([^:\s]+)(?::[a-z0-9]+)?: (.+)$/.exec(line);
      if (m && !line.startsWith('diversion by') && m[2] === path) return m[1];
    }
  }
  return undefined;
}

const SPAWNING = /\b(?:spawn|spawnSync|execFile|execFileSync)\(\s*(['"`])([^'"`$]+)\1/g;

/** Programs named as string literals in spawn/exec calls anywhere in the code, with where they stand. */
function spawnedLiterals(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'fixtures') walk(path);
      } else if (/\.(?:ts|js|mjs|cjs)$/.test(entry.name)) {
        for (const m of readFileSync(path, 'utf8').matchAll(SPAWNING)) {
          if (!found.has(m[2]!)) found.set(m[2]!, relative(ROOT, path));
        }
      }
    }
  };
  for (const top of ['src', 'test', 'bench', 'scripts']) walk(join(ROOT, top));
  return found;
}

describe('every program the tests run is in the table', () => {
  it('names every literal program of a spawn or exec call in src/, test/, bench/ and scripts/', () => {
    const listed = new Set(EXTERNAL_PROGRAMS.map((p) => p.program));
    const unlisted = [...spawnedLiterals()]
      .filter(([program]) => !listed.has(program))
      .map(([program, where]) => `${program} (${where})`);
    expect(unlisted, 'add these to test/helpers/external-programs.ts and their packages to .ci/run').toEqual([]);
  });

  it('finds the spawn calls it is meant to find', () => {
    // Guards the scan itself: a regex that matched nothing would make the test above pass vacuously.
    const literals = spawnedLiterals();
    expect(literals.has('virt-xml-validate')).toBe(true);
    expect(literals.has('qemu-system-x86_64')).toBe(true);
  });
});

describe.skipIf(skipUnless('dpkg'))('the package of every program is installed by .ci/run', () => {
  const packages = ciPackages();
  it.each(EXTERNAL_PROGRAMS.map((p) => [p.program, p.why]))('%s (%s)', (program) => {
    const file = resolveProgram(program);
    expect(file, `${program} is not on PATH: .ci/run must install it`).toBeDefined();
    const pkg = owningPackage(file!);
    expect(pkg, `no Debian package owns ${file}`).toBeDefined();
    expect([...packages], `${program} comes from ${pkg}; add it to need_pkgs in .ci/run`).toContain(pkg);
  });
});

describe('prerequisites outside and inside CI', () => {
  it('skips with a message naming what is missing when not under CI', () => {
    const lines: string[] = [];
    expect(skipForMissing(['virsh', 'qemu'], false, (l) => lines.push(l))).toBe(true);
    expect(lines).toEqual(['skipping: missing virsh, qemu']);
  });

  it('fails under CI=true instead of skipping', () => {
    expect(() => skipForMissing(['virsh'], true, () => {})).toThrow('CI=true and prerequisites are missing: virsh');
  });

  it('runs nothing when nothing is missing', () => {
    expect(skipForMissing([], true)).toBe(false);
  });
});

describe.skipIf(skipUnless('virt-xml-validate'))('the virt-xml-validate prerequisite runs the tool', () => {
  /** A PATH holding only the programs virt-xml-validate calls, with or without xmllint. */
  function pathWith(xmllint: boolean): { dir: string; done: () => void } {
    const dir = mkdtempSync(join(tmpdir(), 'virtune-path-'));
    const tools = ['sh', 'awk', 'cat', 'grep', 'mktemp', 'rm', ...(xmllint ? ['xmllint'] : [])];
    for (const tool of tools) symlinkSync(resolveProgram(tool)!, join(dir, tool));
    return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
  }

  it('passes when xmllint is there', () => {
    const p = pathWith(true);
    try {
      expect(validatesTinyDomain(p.dir)).toBe(true);
    } finally {
      p.done();
    }
  });

  it('fails when virt-xml-validate is installed but xmllint is not (the fault a file test would hide)', () => {
    const p = pathWith(false);
    try {
      expect(validatesTinyDomain(p.dir)).toBe(false);
    } finally {
      p.done();
    }
  });
});
