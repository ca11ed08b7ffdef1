import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/connection/connection.js';
import { isSameProcess, processStartTime } from '../../../src/drivers/common/process-identity.js';
import { DomainRunningReason, DomainState } from '../../../src/flags.js';
import { skipUnless } from '../../helpers/prereq.js';
import { makeLxcEnv, type LxcTestEnv } from './harness.js';

const run = promisify(execFile);

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare'))('a container outlives the process that started it', () => {
  let env: LxcTestEnv;
  let bundleDir: string;
  let script: string;

  beforeAll(async () => {
    env = makeLxcEnv();
    bundleDir = mkdtempSync(`${tmpdir()}/virtune-outlive-${process.pid}-`);
    script = `${bundleDir}/child.mjs`;
    // vitest's own bundler (rolldown, through vite) turns the TypeScript child into one runnable file.
    const { build } = await import('rolldown');
    await build({
      input: fileURLToPath(new URL('./outlive-child.ts', import.meta.url)),
      platform: 'node',
      external: [/^node:/, 'libxmljs2', 'xmlbuilder2', 'tslib'],
      output: { dir: bundleDir, entryFileNames: 'child.mjs', format: 'esm' },
      logLevel: 'silent',
    });
  });
  afterAll(async () => {
    await env?.cleanup();
    rmSync(bundleDir, { recursive: true, force: true });
  });

  it('a new process finds it running with the same id, and can destroy it', async () => {
    const { stdout } = await run(process.execPath, [script, env.uri, 'survivor'], { cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
    const id = Number(stdout.trim());
    expect(id).toBeGreaterThan(0);
    // The starter has exited; the container has not.
    const start = processStartTime(id);
    expect(start).toBeDefined();
    const conn = await openConnection(env.uri);
    try {
      const dom = await conn.lookupDomainByName('survivor');
      expect(dom.id).toBe(id);
      expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.BOOTED });
      await dom.destroy();
      expect(isSameProcess(id, start!)).toBe(false);
    } finally {
      await conn.close();
    }
  });
});
