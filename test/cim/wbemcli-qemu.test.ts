// Cross-cutting suite: the real CIM client (wbemcli) against src/cim/ on a real QEMU guest; not the tests of one src/ file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCimServer, type CimServer } from '../../src/cim/http-server.js';
import type { Connection } from '../../src/connection/connection.js';
import type { Domain } from '../../src/connection/domain.js';
import { typedParamsToRecord } from '../../src/typed-params/helpers.js';
import { skipUnless } from '../helpers/prereq.js';
import { QemuTestEnv, noOsXML } from '../drivers/qemu/helpers/env.js';
import { memPath, propertiesOf, wbemcli } from './wbemcli.js';

/**
 * A QEMU guest (no OS, TCG) seen through libvirt-cim's KVM_ class: wbemcli lists it, and a ModifyInstance of
 * Limit lands in the guest's memory cgroup, as `memtune --hard-limit` would.
 */
describe.skipIf(skipUnless('wbemcli', 'root', 'qemu', 'cgroup-v1-memory'))('wbemcli against a QEMU guest', () => {
  let env: QemuTestEnv;
  let conn: Connection;
  let server: CimServer;
  let dom: Domain;
  const limitBytes = (): bigint => BigInt(readFileSync(join(env.domainCgroup('cimvm'), 'memory.limit_in_bytes'), 'utf8').trim());

  beforeAll(async () => {
    env = new QemuTestEnv();
    conn = await env.open();
    dom = await conn.defineDomainXML(noOsXML('cimvm', '3c1f6a7e-2b4d-4e8f-9a0b-1c2d3e4f5a6d', { memoryMiB: 128 }));
    await dom.create();
    server = await startCimServer(conn, { port: 0, readWrite: true });
  });
  afterAll(async () => {
    await server?.close();
    await env?.dispose();
  });

  it('lists the guest as a KVM_ memory RASD and applies a Limit to its cgroup', async () => {
    const ei = await wbemcli('-nl', 'ei', `${server.url}/root/virt:KVM_MemResourceAllocationSettingData`);
    expect(ei.status, ei.stderr).toBe(0);
    expect(propertiesOf(ei.stdout)).toMatchObject({ InstanceID: 'cimvm/mem', VirtualQuantity: '131072', Limit: '' });

    const mi = await wbemcli('mi', memPath(server.url, 'cimvm'), 'Limit=1048576');
    expect([mi.status, mi.stderr]).toEqual([0, '']);
    expect(typedParamsToRecord(await dom.getMemoryParameters()).hard_limit).toBe(1048576n);
    expect(limitBytes()).toBe(1048576n * 1024n);
    expect(propertiesOf((await wbemcli('-nl', 'gi', memPath(server.url, 'cimvm'))).stdout).Limit).toBe('1048576');

    // Refused (an LXC class on a QEMU connection names nothing): the cgroup keeps its limit.
    const lxc = await wbemcli('mi', memPath(server.url, 'cimvm', 'LXC'), 'Limit=4096');
    expect(lxc.stderr).toMatch(/CIM_ERR_NOT_FOUND/);
    expect(limitBytes()).toBe(1048576n * 1024n);
  });
});
