// Cross-cutting suite (test/architecture/): the rules of docs/architecture.md checked on all of src/.
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../helpers/package-link.js';
import { cycles } from './cycles.js';
import { TYPE_EXCEPTIONS, exceptionFor } from './exceptions.js';
import { describeEdge, importGraph, sourceFiles, targetExists, type ImportEdge } from './import-graph.js';
import { directoryOf, unitOf } from './layers.js';
import { RULES, violations } from './rules.js';

// The layering docs/architecture.md describes, checked on every file of src/ (the rules: rules.ts, layers.ts).

describe('the layering of src/', () => {
  const edges = importGraph(PACKAGE_ROOT);

  it('sees the imports: every kind, in quantity (a parser that saw none would pass every rule)', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(new Set(edges.map((e) => e.kind))).toEqual(new Set(['value', 'type', 'dynamic']));
  });

  it('every import is a literal path to a file that exists', () => {
    expect(edges.filter((e) => !targetExists(PACKAGE_ROOT, e)).map(describeEdge)).toEqual([]);
  });

  it('every file of src/ belongs to a layer', () => {
    expect(sourceFiles(PACKAGE_ROOT).filter((f) => !unitOf(f))).toEqual([]);
  });

  it.each(RULES.map((r) => [r.name, r] as const))('%s', (_name, rule) => {
    expect(edges.map((e) => rule.check(e)).filter((m) => m !== undefined)).toEqual([]);
  });

  it('no cycles between directories through imports that load code (value and dynamic)', () => {
    expect(cycles(edges.filter((e) => e.kind !== 'type'), directoryOf)).toEqual([]);
  });

  // Files that import each other cannot be read, tested or loaded one at a time. The one allowed loop is the
  // command table's lazy handlers: `help` is a command that reads the table it is listed in.
  it('no cycles between files through imports that load code (value and dynamic)', () => {
    const lazyHandler = (e: (typeof edges)[number]): boolean =>
      e.kind === 'dynamic' && e.from === 'src/cli/commands/table.ts';
    expect(cycles(edges.filter((e) => e.kind !== 'type' && !lazyHandler(e)), (path) => path)).toEqual([]);
  });

  it('with `import type` counted, every cycle between directories goes through a listed exception', () => {
    expect(cycles(edges.filter((e) => !exceptionFor(e)), directoryOf)).toEqual([]);
  });

  it.each(TYPE_EXCEPTIONS.map((x) => [`${x.from.source} -> ${x.to}`, x] as const))(
    'the exception %s is still used (delete it, and its line in docs/architecture.md, when it is not)',
    (_name, x) => {
      expect(edges.some((e) => exceptionFor(e) === x)).toBe(true);
    },
  );

  it('bin/virtune.js is what runs the CLI (nothing in src/ imports it)', () => {
    expect(readFileSync(join(PACKAGE_ROOT, 'bin/virtune.js'), 'utf8')).toMatch(/(from |import\()'\.\.\/dist\/cli-bundle\/main\.js'/);
  });
});

describe('the checker, on a copy of src/ with forbidden imports added', () => {
  let root: string;
  let edges: ImportEdge[];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), `virtune-layering-${process.pid}-`));
    cpSync(join(PACKAGE_ROOT, 'src'), join(root, 'src'), { recursive: true });
    appendFileSync(join(root, 'src/cgroup/memory-v1.ts'), "\nimport { main } from '../cli/main.js';\n");
    appendFileSync(join(root, 'src/xml/units.ts'), "\nexport const later = () => import('../memory/validate.js');\n");
    appendFileSync(join(root, 'src/drivers/qemu/paths.ts'), "\nimport { parseURI } from '../../connection/uri.js';\n");
    appendFileSync(join(root, 'src/cgroup/names.ts'), "\nimport { pollUntil } from '../drivers/common/poll.js';\n");
    edges = importGraph(root);
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('reports each of them, under the rules it breaks, and nothing else', () => {
    const found = violations(edges).map((v) => v.replace(/\d+ imports/, 'N imports'));
    const rule = (start: string): string => RULES.find((r) => r.name.startsWith(start))!.name;
    expect(found.sort()).toEqual(
      [
        `${rule('cgroup/')}: src/cgroup/memory-v1.ts:N imports (value) src/cli/main.ts`,
        `${rule('cgroup/')}: src/cgroup/names.ts:N imports (value) src/drivers/common/poll.ts`,
        `${rule('nothing in src/')}: src/cgroup/memory-v1.ts:N imports (value) src/cli/main.ts`,
        `${rule('xml/')}: src/xml/units.ts:N imports (dynamic) src/memory/validate.ts`,
        `${rule('drivers and the driver table')}: src/drivers/qemu/paths.ts:N imports (value) src/connection/uri.ts`,
        `${rule('every import')}: src/cgroup/memory-v1.ts:N imports (value) src/cli/main.ts: cgroup (60) may not import cli (90)`,
        `${rule('every import')}: src/cgroup/names.ts:N imports (value) src/drivers/common/poll.ts: cgroup (60) may not import drivers/common (71)`,
        `${rule('every import')}: src/xml/units.ts:N imports (dynamic) src/memory/validate.ts: xml (24) may not import memory validation (60)`,
        `${rule('every import')}: src/drivers/qemu/paths.ts:N imports (value) src/connection/uri.ts: drivers/qemu (74) may not import connection (80)`,
      ].sort(),
    );
  });

  it('finds the cycle they close (cgroup -> cli and cgroup -> drivers/common, where drivers import cgroup)', () => {
    const runtime = cycles(edges.filter((e) => e.kind !== 'type'), directoryOf);
    expect(runtime).toHaveLength(1);
    expect(runtime[0]).toEqual(expect.arrayContaining(['src/cgroup', 'src/cli', 'src/connection', 'src/drivers/common']));
  });
});
