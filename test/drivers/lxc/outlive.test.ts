import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/connection/connection.js';
import { isSameProcess, processStartTime } from '../../../src/drivers/common/process-identity.js';
import { DomainRunningReason, DomainState } from '../../../src/flags.js';
import { skipUnless } from '../../helpers/prereq.js';
import { lxcXML } from './container-xml.js';
import { lxcEnvPerBlock } from './harness.js';

const run = promisify(execFile);

describe.skipIf(skipUnless('root', 'cgroup-v1-memory', 'unshare'))('a container outlives the process that started it', () => {
  const env = lxcEnvPerBlock();
  // The child imports the built package (npm test builds dist/ before vitest runs).
  const script = fileURLToPath(new URL('./outlive-child.mjs', import.meta.url));

  it('a new process finds it running with the same id, and can destroy it', async () => {
    const { stdout } = await run(process.execPath, [script, env.uri, lxcXML('survivor', 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done')], { cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
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
