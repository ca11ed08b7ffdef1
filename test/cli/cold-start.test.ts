import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, runVirtune } from '../helpers/spawn-cli.js';

// The CLI's cold start is dominated by module loading; libxmljs2 (a native addon) and the XML parser are the
// heaviest part. These runs record every file the CLI resolves and check which modules a command needed — a
// behavioural check of what is loaded; the time itself is measured in bench/.
//
// bin/virtune.js runs the bundle in dist/cli-bundle/ (scripts/bundle-cli.mjs): the recorder sees its chunks, and
// the bundle's meta.json says which of dist/'s modules each chunk holds.

const RECORDER = join(ROOT, 'test/cli/fixtures/record-modules.mjs');
const BUNDLE = 'dist/cli-bundle/';
let dir: string;
let runs = 0;
let chunkModules: Record<string, string[]>;

beforeAll(() => {
  assertBuilt();
  chunkModules = JSON.parse(readFileSync(join(ROOT, BUNDLE, 'meta.json'), 'utf8')) as Record<string, string[]>;
  dir = mkdtempSync(join(tmpdir(), `virtune-cold-${process.pid}-`));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What one run loaded: the files resolved (repository-relative) and the modules of dist/ they hold. */
interface Loaded {
  status: number;
  files: string[];
  modules: string[];
}

/** Runs `virtune -c test:///default ARGS` and returns the status and what it loaded. */
async function modulesOf(args: readonly string[]): Promise<Loaded> {
  const log = join(dir, `modules-${++runs}.log`);
  const r = await runVirtune(['-q', '-c', 'test:///default', ...args], { VIRTUNE_MODULE_LOG: log }, undefined, ['--import', RECORDER]);
  const files = [...new Set(readFileSync(log, 'utf8').trim().split('\n').map((u) => u.replace(`file://${ROOT}`, '')))];
  const modules = files.flatMap((f) => {
    if (!f.startsWith(BUNDLE)) return [f];
    const held = chunkModules[f];
    if (held === undefined) throw new Error(`${f} is not in ${BUNDLE}meta.json: rebuild (npm run build)`);
    return held;
  });
  return { status: r.status, files, modules };
}

const XML_LIBRARIES = /node_modules\/(libxmljs2|xmlbuilder2)\//;

describe('cold start: what a command loads', () => {
  it('memtune on test:///default loads neither libxmljs2 nor the XML parser', async () => {
    const { status, files, modules } = await modulesOf(['memtune', 'test']);
    expect(status).toBe(0);
    // The whole path is the bundle's entry and the one chunk it imports (HOT in scripts/bundle-cli.mjs).
    expect(files.filter((f) => f.startsWith('dist/'))).toHaveLength(2);
    expect(modules).toContain('dist/drivers/test/factory.js');
    expect(modules.filter((m) => XML_LIBRARIES.test(m))).toEqual([]);
    // cpu-ranges.js: libvirt's CPU ranges, constants only, which the scheduler family's vocabulary re-exports.
    expect(new Set(modules.filter((m) => m.startsWith('dist/xml/')))).toEqual(new Set(['dist/xml/uuid.js', 'dist/xml/clone.js', 'dist/xml/cpu-ranges.js']));
    expect(modules).not.toContain('node:crypto');
  });

  it('setmem and dumpxml do not load libxmljs2 either (formatting needs no parser)', async () => {
    const { status, modules } = await modulesOf(['setmem test 1G --config; dumpxml test']);
    expect(status).toBe(0);
    expect(modules).toContain('dist/xml/format-domain.js');
    expect(modules.filter((m) => XML_LIBRARIES.test(m) || m === 'dist/xml/parse-domain.js')).toEqual([]);
  });

  it('define --validate does load the parser and libxmljs2 (the recorder sees them)', async () => {
    const { status, modules } = await modulesOf([`define --validate ${join(ROOT, 'test/cli/fixtures/t2.xml')}`]);
    expect(status).toBe(0);
    expect(modules).toContain('dist/xml/parse-domain.js');
    expect(modules.some((m) => /node_modules\/libxmljs2\//.test(m))).toBe(true);
  });

  it('a plain define of a plainly well-formed document reads it without libxmljs2 (src/xml/well-formed.ts)', async () => {
    const { status, modules } = await modulesOf([`define ${join(ROOT, 'test/cli/fixtures/t2.xml')}`]);
    expect(status).toBe(0);
    expect(modules).toContain('dist/xml/parse-domain.js');
    expect(modules.some((m) => /node_modules\/libxmljs2\//.test(m))).toBe(false);
  });

  it('bin/virtune.js runs the bundle, not dist/cli/ directly', async () => {
    const { files, modules } = await modulesOf(['uri']);
    expect(files).toContain(`${BUNDLE}main.js`);
    expect(files.filter((f) => f.startsWith('dist/') && !f.startsWith(BUNDLE))).toEqual([]);
    expect(modules).toContain('dist/cli/main.js');
  });
});
