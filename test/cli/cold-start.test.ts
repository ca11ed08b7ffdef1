import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, runVirtune } from './helpers/spawn-cli.js';

// The CLI's cold start is dominated by module loading; libxmljs2 (a native addon) and the XML parser are the
// heaviest part. These runs record every module the CLI resolves and check which ones a command needed — a
// behavioural check of what is loaded; the time itself is measured in bench/.

const RECORDER = join(ROOT, 'test/cli/fixtures/record-modules.mjs');
let dir: string;
let runs = 0;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), `virtune-cold-${process.pid}-`));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `virtune -c test:///default ARGS` and returns the status and the modules it loaded (repository-relative). */
async function modulesOf(args: readonly string[]): Promise<{ status: number; modules: string[] }> {
  const log = join(dir, `modules-${++runs}.log`);
  const r = await runVirtune(['-q', '-c', 'test:///default', ...args], { VIRTUNE_MODULE_LOG: log }, undefined, ['--import', RECORDER]);
  const modules = readFileSync(log, 'utf8').trim().split('\n').map((u) => u.replace(`file://${ROOT}`, ''));
  return { status: r.status, modules };
}

const XML_LIBRARIES = /node_modules\/(libxmljs2|xmlbuilder2)\//;

describe('cold start: what a command loads', () => {
  it('memtune on test:///default loads neither libxmljs2 nor the XML parser', async () => {
    const { status, modules } = await modulesOf(['memtune', 'test']);
    expect(status).toBe(0);
    expect(modules).toContain('dist/drivers/test/factory.js');
    expect(modules.filter((m) => XML_LIBRARIES.test(m))).toEqual([]);
    expect(new Set(modules.filter((m) => m.startsWith('dist/xml/')))).toEqual(new Set(['dist/xml/uuid.js', 'dist/xml/clone.js']));
    expect(modules).not.toContain('node:crypto');
  });

  it('setmem and dumpxml do not load libxmljs2 either (formatting needs no parser)', async () => {
    const { status, modules } = await modulesOf(['setmem test 1G --config; dumpxml test']);
    expect(status).toBe(0);
    expect(modules).toContain('dist/xml/format-domain.js');
    expect(modules.filter((m) => XML_LIBRARIES.test(m) || m === 'dist/xml/parse-domain.js')).toEqual([]);
  });

  it('define does load the parser and libxmljs2 (the recorder sees them)', async () => {
    const { status, modules } = await modulesOf([`define ${join(ROOT, 'test/cli/fixtures/t2.xml')}`]);
    expect(status).toBe(0);
    expect(modules).toContain('dist/xml/parse-domain.js');
    expect(modules.some((m) => /node_modules\/libxmljs2\//.test(m))).toBe(true);
  });
});
