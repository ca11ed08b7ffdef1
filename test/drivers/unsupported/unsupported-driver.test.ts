import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { parseURI } from '../../../src/connection/uri.js';
import { openUnsupportedDriver, UnsupportedReason, withoutMemoryTuning } from '../../../src/drivers/unsupported/factory.js';
import { TypedParameterType as T } from '../../../src/typed-params/types.js';
import { connections } from '../../helpers/connections.js';
import { domainXML } from '../../helpers/domain-xml.js';
import { rejection } from '../../helpers/vir-error.js';

const c = connections();

const XML = domainXML('g');

describe('the stub driver (unsupported:///)', () => {
  it('keeps definitions and answers memory tuning with NO_SUPPORT naming the missing feature', async () => {
    const { conn } = await c.open('unsupported:///');
    expect(conn.getType()).toBe('UNSUPPORTED');
    expect(conn.unsupportedReason).toBe(UnsupportedReason.EXPLICIT);
    expect(await conn.listAllDomains()).toEqual([]);
    const d = await conn.defineDomainXML(XML);
    await d.create();
    expect(await d.isActive()).toBe(true);
    const set = await rejection(d.setMemoryParameters([{ field: 'hard_limit', type: T.ULLONG, value: 1n }]));
    expect([set.code, set.domain, set.message]).toEqual([
      ErrorCode.NO_SUPPORT,
      ErrorDomain.DOMAIN,
      `this function is not supported by the connection driver: virDomainSetMemoryParameters: ${UnsupportedReason.EXPLICIT}`,
    ]);
    expect((await rejection(d.getMemoryParameters())).code).toBe(ErrorCode.NO_SUPPORT);
    expect((await rejection(d.getMemoryParameterCount())).code).toBe(ErrorCode.NO_SUPPORT);
    expect((await rejection(d.setMemory(512))).message).toContain('virDomainSetMemoryFlags: ');
  });

  it('serves qemu/lxc factories that find no memory cgroup', async () => {
    const drv = await openUnsupportedDriver(parseURI('qemu:///system'), UnsupportedReason.NO_MEMORY_CGROUP);
    expect(drv.type).toBe('QEMU');
    expect(drv.unsupportedReason).toBe('the host has no memory cgroup controller');
    const ref = await drv.defineDomainXML!(XML, 0);
    await expect(drv.domainGetMemoryParameters!(ref, 0)).rejects.toThrow(
      'this function is not supported by the connection driver: virDomainGetMemoryParameters: the host has no memory cgroup controller',
    );
  });

  it('answers the scheduler family with NO_SUPPORT too, naming the controller the factory says is missing', async () => {
    const { conn } = await c.open('unsupported:///');
    const d = await conn.defineDomainXML(XML);
    const set = await rejection(d.setSchedulerParameters([{ field: 'cpu_shares', type: T.ULLONG, value: 512n }], 0));
    expect([set.code, set.domain, set.message]).toEqual([
      ErrorCode.NO_SUPPORT,
      ErrorDomain.DOMAIN,
      `this function is not supported by the connection driver: virDomainSetSchedulerParametersFlags: ${UnsupportedReason.EXPLICIT}`,
    ]);
    expect((await rejection(d.getSchedulerType())).message).toContain('virDomainGetSchedulerType: ');
    expect((await rejection(d.getSchedulerParameters())).message).toContain('virDomainGetSchedulerParametersFlags: ');

    const drv = await openUnsupportedDriver(parseURI('lxc:///'), UnsupportedReason.NO_MEMORY_CGROUP, undefined, {
      scheduler: UnsupportedReason.NO_CPU_CGROUP,
    });
    const ref = await drv.defineDomainXML!(XML, 0);
    await expect(drv.domainGetSchedulerParameters!(ref, 0)).rejects.toThrow(
      'virDomainGetSchedulerParametersFlags: the host has no cpu cgroup controller',
    );
    await expect(drv.domainGetMemoryParameters!(ref, 0)).rejects.toThrow(/no memory cgroup controller$/);
    expect(drv.unsupportedReason).toBe(UnsupportedReason.NO_MEMORY_CGROUP);
  });

  it('answers blkio tuning with NO_SUPPORT too, naming the controller the family lacks', async () => {
    const { conn } = await c.open('unsupported:///');
    const d = await conn.defineDomainXML(XML);
    const set = await rejection(d.setBlkioParameters([{ field: 'weight', type: T.UINT, value: 500 }]));
    expect([set.code, set.message]).toEqual([
      ErrorCode.NO_SUPPORT,
      `this function is not supported by the connection driver: virDomainSetBlkioParameters: ${UnsupportedReason.EXPLICIT}`,
    ]);
    const drv = await openUnsupportedDriver(parseURI('lxc:///'), UnsupportedReason.NO_MEMORY_CGROUP, () => {}, {
      blkio: UnsupportedReason.NO_BLKIO_CGROUP,
    });
    expect(drv.unsupportedReason).toBe(UnsupportedReason.NO_MEMORY_CGROUP);
    const ref = await drv.defineDomainXML!(XML, 0);
    await expect(drv.domainGetBlkioParameters!(ref, 0)).rejects.toThrow(
      'this function is not supported by the connection driver: virDomainGetBlkioParameters: the host has no blkio cgroup controller',
    );
    await expect(drv.domainGetMemoryParameters!(ref, 0)).rejects.toThrow(/virDomainGetMemoryParameters: the host has no memory cgroup controller$/);
  });

  it('withoutMemoryTuning keeps every other entry of a driver', async () => {
    const calls: string[] = [];
    const drv = withoutMemoryTuning(
      {
        type: 'X',
        async getHostname() {
          calls.push('host');
          return 'h';
        },
        async domainGetMemoryParameters() {
          calls.push('get');
          return [];
        },
      },
      'no cgroup',
    );
    expect(await drv.getHostname!()).toBe('h');
    await expect(drv.domainGetMemoryParameters!({ name: 'n', uuid: 'u', id: 1 }, 0)).rejects.toThrow(/no cgroup$/);
    expect(calls).toEqual(['host']);
  });
});
