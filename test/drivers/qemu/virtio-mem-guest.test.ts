/**
 * Growing a running guest beyond its boot memory with virtio-mem, and shrinking it back: a real TCG guest with
 * virtio_mem loaded reports its MemTotal on the serial port.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/connection/connection.js';
import type { Domain } from '../../../src/connection/domain.js';
import { ErrorCode } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE, DOMAIN_XML_INACTIVE } from '../../../src/flags.js';
import { buildTestGuest, guestReport, guestXML } from '../../fixtures/guest/guest.js';
import { eventually } from '../../helpers/eventually.js';
import { assertNoLeftovers, tempEntriesOfThisProcess } from '../../helpers/leftovers.js';
import { skipUnless } from '../../helpers/prereq.js';
import { QemuTestEnv } from './helpers/env.js';

const MiB = 1024;

describe.skipIf(skipUnless('root', 'qemu', 'cgroup-v1-memory'))('virtio-mem on a real guest', { timeout: 300_000 }, () => {
  let env: QemuTestEnv;
  let conn: Connection;
  let dom: Domain;
  const memTotal = () => guestReport(env.serial('grow'))?.memTotalKiB;

  beforeAll(async () => {
    const guest = buildTestGuest();
    env = new QemuTestEnv();
    conn = await env.open();
    dom = await conn.defineDomainXML(guestXML(guest, { name: 'grow', uuid: '6c2f8e41-7a3b-4c5d-9e0f-1a2b3c4d5e6f', memoryMiB: 256, virtioMemMiB: 512 }));
    await dom.create();
    await env.guestReady('grow');
  }, 15 * 60_000);
  afterAll(async () => {
    await env?.dispose();
    assertNoLeftovers(tempEntriesOfThisProcess(), 'this file');
  });

  it('boots with 256 MiB, grows to 768 MiB and shrinks back through setMemory', async () => {
    const boot = await eventually(memTotal, 30_000, 'the first MemTotal report');
    // The kernel keeps some of the boot memory for itself: MemTotal is below 256 MiB, far below 512.
    expect(boot).toBeLessThanOrEqual(256 * MiB);
    expect((await dom.getInfo()).maxMem).toBe(BigInt(768 * MiB));
    const pid = readFileSync(join(env.domainCgroup('grow'), 'cgroup.procs'), 'utf8').trim().split('\n')[0];
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(args).toContain(`size=${256 * MiB}k,slots=1,maxmem=${768 * MiB}k`);
    expect(args.some((a) => a.startsWith('virtio-mem-pci,id=virtiomem0,memdev=memvirtiomem0,requested-size=0k,block-size=2048k'))).toBe(true);

    await dom.setMemory(768 * MiB, DOMAIN_AFFECT_LIVE);
    const grown = await eventually(() => ((memTotal() ?? 0) >= boot + 512 * MiB ? memTotal() : undefined), 60_000, 'MemTotal to grow');
    expect(grown).toBe(boot + 512 * MiB);
    const xml = await eventually(async () => {
      const x = await dom.getXMLDesc();
      return x.includes(`<current unit='KiB'>${512 * MiB}</current>`) ? x : undefined;
    }, 30_000, 'the plugged size in the live XML');
    expect(xml).toContain(`<requested unit='KiB'>${512 * MiB}</requested>`);
    expect(env.events).toContainEqual(expect.objectContaining({ kind: 'memory-device-size-change', alias: 'virtiomem0', sizeKiB: BigInt(512 * MiB) }));
    // The persistent definition did not change.
    expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain("<requested unit='KiB'>0</requested>");

    await dom.setMemory(256 * MiB, DOMAIN_AFFECT_LIVE);
    await eventually(() => (memTotal() === boot ? true : undefined), 60_000, 'MemTotal to shrink back');
    expect(await dom.getXMLDesc()).toContain("<requested unit='KiB'>0</requested>");
  });

  it('refuses more than the devices hold, and a guest without virtio-mem cannot grow', async () => {
    await expect(dom.setMemory(768 * MiB + 1, DOMAIN_AFFECT_LIVE)).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARG,
      message: 'invalid argument: cannot set memory higher than max memory',
    });
    await dom.setMemory(512 * MiB, DOMAIN_AFFECT_CONFIG);
    expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain(`<requested unit='KiB'>${256 * MiB}</requested>`);
    const plain = await conn.defineDomainXML(
      (await dom.getXMLDesc(DOMAIN_XML_INACTIVE))
        .replace(/<memory model='virtio-mem'>[\s\S]*?<\/memory>/, '')
        .replace(/<maxMemory[^>]*>[^<]*<\/maxMemory>/, '')
        .replace(/<memory unit='KiB'>\d+<\/memory>/, `<memory unit='KiB'>${256 * MiB}</memory>`)
        .replace(/<currentMemory[^>]*>[^<]*<\/currentMemory>/, '')
        .replace('<name>grow</name>', '<name>plain</name>')
        .replace(/<uuid>[^<]*<\/uuid>/, ''),
    );
    await expect(plain.setMemory(512 * MiB, DOMAIN_AFFECT_CONFIG)).rejects.toMatchObject({
      message: 'invalid argument: cannot set memory higher than max memory',
    });
    await plain.undefine();
  });
});
