import { describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/index.js';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { TypedParameterType as T, type TypedParameter, type TypedParameterInput } from '../../../src/typed-params/types.js';
import { connections } from '../../helpers/connections.js';
import { rejection } from '../../helpers/vir-error.js';

const c = connections();
const str = (field: string, value: string): TypedParameterInput => ({ field, type: T.STRING, value });
const values = (ps: TypedParameter[]) => Object.fromEntries(ps.map((p) => [p.field, p.value]));

describe('test driver blkio parameters', () => {
  it('sets the live definition of a running domain, leaves the config alone, and emits a tunable event', async () => {
    const { conn, events } = await c.open();
    const d = await conn.lookupDomainByName('test');
    await d.setBlkioParameters([str('device_weight', '/dev/sda,100'), { field: 'weight', type: T.UINT, value: 500 }]);
    expect(values(await d.getBlkioParameters())).toMatchObject({ weight: 500, device_weight: '/dev/sda,100' });
    expect(values(await d.getBlkioParameters(DOMAIN_AFFECT_CONFIG))).toMatchObject({ weight: 0, device_weight: '' });
    expect(events).toEqual([
      {
        kind: 'tunable',
        domain: { name: 'test', uuid: d.uuid, id: 1 },
        params: [
          { field: 'weight', type: T.UINT, value: 500 },
          { field: 'device_weight', type: T.STRING, value: '/dev/sda,100' },
        ],
      },
    ]);
  });

  it('a call with one bad list changes nothing and emits nothing', async () => {
    const { conn, events } = await c.open();
    const d = await conn.lookupDomainByName('test');
    const before = await d.getBlkioParameters();
    const e = await rejection(d.setBlkioParameters([{ field: 'weight', type: T.UINT, value: 900 }, str('device_read_bytes_sec', '/a,1,/b')]));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.INVALID_ARG,
      ErrorDomain.DOMAIN,
      "invalid argument: unable to parse blkio device 'device_read_bytes_sec' '/a,1,/b'",
    ]);
    expect(await d.getBlkioParameters()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('an empty list is accepted and changes nothing; flags are checked first', async () => {
    const { conn, events } = await c.open();
    const d = await conn.lookupDomainByName('test');
    await d.setBlkioParameters([]);
    expect(events).toEqual([]);
    const bad = await rejection(d.setBlkioParameters([], 8));
    expect([bad.domain, bad.message]).toEqual([ErrorDomain.TEST, 'unsupported flags (0x8) in function testDomainSetBlkioParameters']);
    const get = await rejection(d.getBlkioParameters(16));
    expect(get.message).toBe('unsupported flags (0x10) in function testDomainGetBlkioParameters');
    expect((await rejection(d.getBlkioParameters(DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG))).code).toBe(ErrorCode.INVALID_ARG);
  });

  it('by name: setBlkiotune and getBlkiotune over the same calls', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    await d.setBlkiotune({ weight: 300, devices: [{ path: '/dev/sda', readBytesSec: 1048576n, weight: 200 }] }, { config: true });
    await d.setBlkiotune({ devices: [{ path: '/dev/sdb', writeIopsSec: 50 }] }, { config: true });
    expect(await d.getBlkiotune({ config: true })).toEqual({
      weight: 300,
      devices: [{ path: '/dev/sda', weight: 200, readBytesSec: 1048576n }, { path: '/dev/sdb', writeIopsSec: 50n }],
    });
    expect(await d.getBlkiotune()).toEqual({ devices: [] });
  });

  it('a read-only connection refuses the setter, not the getter', async () => {
    const conn = await openConnection('test:///default', { readOnly: true });
    try {
      const d = await conn.lookupDomainByName('test');
      const e = await rejection(d.setBlkioParameters([str('device_weight', '/a,1')]));
      expect([e.code, e.message]).toEqual([ErrorCode.OPERATION_DENIED, 'operation forbidden: read only access prevents virDomainSetBlkioParameters']);
      expect(await d.getBlkioParameters()).toHaveLength(6);
    } finally {
      await conn.close();
    }
  });
});
