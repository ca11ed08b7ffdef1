// Cross-cutting suite: the real CIM client (wbemcli) against src/cim/ and `virtune cim-serve`; not the tests of one src/ file.
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCimServer, type CimServer } from '../../src/cim/http-server.js';
import { openConnection, type Connection } from '../../src/connection/connection.js';
import type { Domain } from '../../src/connection/domain.js';
import { typedParamsToRecord } from '../../src/typed-params/helpers.js';
import { V1_MEMORY_ROOT } from '../helpers/cgroup-dirs.js';
import { eventually } from '../helpers/eventually.js';
import { skipUnless } from '../helpers/prereq.js';
import { HOLD_64M, lxcXML } from '../drivers/lxc/container-xml.js';
import { makeLxcEnv, type LxcTestEnv } from '../drivers/lxc/harness.js';
import { memPath, propertiesOf, wbemcli } from './wbemcli.js';

/**
 * wbemcli against the CIM server on a real container: a ModifyInstance of Limit reaches the container's
 * memory cgroup, and a refused one leaves the cgroup file as it was.
 */

const IDLE = 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done';


describe.skipIf(skipUnless('wbemcli', 'root', 'cgroup-v1-memory', 'unshare', 'python3'))('wbemcli against an LXC container', () => {
  let env: LxcTestEnv;
  let conn: Connection;
  let server: CimServer;
  let dom: Domain;
  const limitFile = (name = 'cim1'): bigint => {
    const dir = `${V1_MEMORY_ROOT}/${env.parent}`;
    const cg = readdirSync(dir).find((d) => d.startsWith(`${name}.virtune-lxc-`));
    return BigInt(readFileSync(`${dir}/${cg}/memory.limit_in_bytes`, 'utf8').trim());
  };

  beforeAll(async () => {
    env = makeLxcEnv();
    conn = await openConnection(env.uri);
    dom = await conn.defineDomainXML(lxcXML('cim1', IDLE, "<memtune><hard_limit unit='MiB'>512</hard_limit></memtune>"));
    await dom.create();
    server = await startCimServer(conn, { port: 0, readWrite: true });
  });
  afterAll(async () => {
    await server?.close();
    await dom?.destroy().catch(() => undefined);
    await conn?.close();
    await env?.cleanup();
  });

  it("lists the container under libvirt-cim's LXC class", async () => {
    const gi = await wbemcli('-nl', 'gi', memPath(server.url, 'cim1', 'LXC'));
    expect(gi.status, gi.stderr).toBe(0);
    expect(propertiesOf(gi.stdout)).toMatchObject({ InstanceID: 'cim1/mem', VirtualQuantity: '1048576', Limit: '524288' });
    expect((await wbemcli('gi', memPath(server.url, 'cim1', 'KVM'))).stderr).toMatch(/CIM_ERR_NOT_FOUND/);
  });

  it('mi of Limit changes hard_limit and the cgroup file; a refused one changes neither', async () => {
    const mi = await wbemcli('mi', memPath(server.url, 'cim1', 'LXC'), 'Limit=262144');
    expect([mi.status, mi.stderr]).toEqual([0, '']);
    expect(typedParamsToRecord(await dom.getMemoryParameters()).hard_limit).toBe(262144n);
    expect(limitFile()).toBe(262144n * 1024n);

    const bad = await wbemcli('mi', memPath(server.url, 'cim1', 'LXC'), 'Limit=18446744073709551615');
    expect(bad.stderr).toMatch(/CIM_ERR_INVALID_PARAMETER/);
    expect(typedParamsToRecord(await dom.getMemoryParameters()).hard_limit).toBe(262144n);
    expect(limitFile()).toBe(262144n * 1024n);
  });

  it('a limit the kernel refuses (below what the container uses) is a CIM error and nothing changes', async () => {
    const hold = await conn.defineDomainXML(lxcXML('cim2', HOLD_64M, "<memtune><hard_limit unit='MiB'>512</hard_limit></memtune>"));
    await hold.create();
    try {
      await eventually(async () => ((await hold.getInfo()).memory > 64n * 1024n ? true : undefined));
      const before = { params: await hold.getMemoryParameters(), xml: await hold.getXMLDesc(), file: limitFile('cim2') };
      const r = await wbemcli('mi', memPath(server.url, 'cim2', 'LXC'), 'Limit=16384');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/\(1\) CIM_ERR_FAILED: VIR_ERR_SYSTEM_ERROR: .*Device or resource busy/);
      expect({ params: await hold.getMemoryParameters(), xml: await hold.getXMLDesc(), file: limitFile('cim2') }).toEqual(before);
    } finally {
      await hold.destroy();
    }
  });
});
