import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSameProcess, processStartTime } from '../../../src/drivers/common/process-identity.js';
import { DOMAIN_AFFECT_LIVE, DomainRunningReason, DomainState } from '../../../src/flags.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';
import { skipUnless } from '../../helpers/prereq.js';
import { qemuEnvPerTest } from './helpers/env-per-test.js';
import { noOsXML } from './helpers/env.js';

const run = promisify(execFile);
const MiB = 1024n;

describe.skipIf(skipUnless('root', 'qemu', 'cgroup-v1-memory'))('a QEMU guest outlives the process that started it', () => {
  const qemu = qemuEnvPerTest();
  // The child imports the built package (npm test builds dist/ before vitest runs).
  const script = fileURLToPath(new URL('./outlive-child.mjs', import.meta.url));

  it('a new process finds it running, drives it through its monitor, and destroys it', async () => {
    const xml = noOsXML('keep', '0b7e5c1d-2a3f-4b6c-8d9e-0f1a2b3c4d5e', {
      memtune: "<memtune><hard_limit unit='MiB'>900</hard_limit></memtune>",
    });
    const { stdout } = await run(process.execPath, [script, qemu.env.uri(), qemu.env.root, xml], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    });
    const [id, pid] = stdout.trim().split(' ').map(Number) as [number, number];
    // The starter has exited; QEMU has not.
    const start = processStartTime(pid);
    expect(start).toBeDefined();

    const conn = await qemu.env.open();
    const dom = await conn.lookupDomainByName('keep');
    expect(dom.id).toBe(id);
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: DomainRunningReason.BOOTED });
    // Live calls need the monitor the starter held: this process takes it over.
    expect((await dom.getInfo()).memory).toBe(128n * MiB);
    await dom.setMemoryParameters([{ field: 'hard_limit', type: TypedParameterType.ULLONG, value: BigInt(800n * MiB) }], DOMAIN_AFFECT_LIVE);
    expect((await dom.getMemoryParameters(DOMAIN_AFFECT_LIVE))[0]).toMatchObject({ field: 'hard_limit', value: BigInt(800n * MiB) });
    await dom.destroy();
    expect(isSameProcess(pid, start!)).toBe(false);
  });
});
