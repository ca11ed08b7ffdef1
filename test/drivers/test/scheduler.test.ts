import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../../src/flags.js';
import { TypedParameterType as T } from '../../../src/typed-params/types.js';
import { connections } from '../../helpers/connections.js';
import { ull } from '../../helpers/typed-param.js';
import { rejection } from '../../helpers/vir-error.js';

const c = connections();
const WEIGHT_50 = [{ field: 'weight', type: T.UINT, value: 50 }];

describe("test driver scheduler (libvirt's fair/weight, the oracle)", () => {
  it('is the fair scheduler with one parameter, weight 50, running or not', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    expect(await d.getSchedulerType()).toEqual({ type: 'fair', nparams: 1 });
    expect(await d.getSchedulerParameters()).toEqual(WEIGHT_50);
    await d.destroy();
    expect(await d.getSchedulerParameters()).toEqual(WEIGHT_50);
    expect(await d.getCpuTune()).toEqual({ weight: 50 });
  });

  it('accepts a weight and keeps reporting 50, without an event, as libvirt does', async () => {
    const { conn, events } = await c.open();
    const d = await conn.lookupDomainByName('test');
    await d.setSchedulerParameters([{ field: 'weight', type: T.UINT, value: 100 }]);
    await d.setCpuTune({ weight: 7 });
    await d.setSchedulerParameters([]);
    expect(await d.getSchedulerParameters()).toEqual(WEIGHT_50);
    expect(events).toEqual([]);
  });

  it('refuses every flag: the Flags getter always adds TYPED_PARAM_STRING_OKAY', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    for (const [flags, shown] of [
      [0, '0x4'],
      [DOMAIN_AFFECT_LIVE, '0x5'],
      [DOMAIN_AFFECT_CONFIG, '0x6'],
    ] as const) {
      const e = await rejection(d.getSchedulerParameters(flags));
      expect([e.code, e.domain, e.message]).toEqual([
        ErrorCode.INVALID_ARG,
        ErrorDomain.TEST,
        `unsupported flags (${shown}) in function testDomainGetSchedulerParametersFlags`,
      ]);
    }
    const both = await rejection(d.getSchedulerParameters(DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG));
    expect([both.domain, both.message]).toEqual([ErrorDomain.DOMAIN, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive"]);
    expect((await rejection(d.setSchedulerParameters([{ field: 'weight', type: T.UINT, value: 1 }], DOMAIN_AFFECT_LIVE))).message).toBe(
      'unsupported flags (0x1) in function testDomainSetSchedulerParametersFlags',
    );
  });

  it('validates against weight alone, before looking the domain up', async () => {
    const { conn } = await c.open();
    const d = await conn.lookupDomainByName('test');
    const e = await rejection(d.setSchedulerParameters([ull('cpu_shares', 512)]));
    expect([e.code, e.domain, e.message]).toEqual([ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE, "argument unsupported: parameter 'cpu_shares' not supported"]);
    expect((await rejection(d.setCpuTune({ cpuPercent: 50 }))).message).toBe("argument unsupported: parameter 'vcpu_period' not supported");
    await d.undefine();
    await d.destroy();
    expect((await rejection(d.setSchedulerParameters([ull('weight', 1)]))).message).toBe(
      "invalid argument: invalid type 'ullong' for parameter 'weight', expected 'uint'",
    );
    expect((await rejection(d.setSchedulerParameters([{ field: 'weight', type: T.UINT, value: 1 }]))).code).toBe(ErrorCode.NO_DOMAIN);
    // libvirt answers the scheduler type without looking the domain up.
    expect(await d.getSchedulerType()).toEqual({ type: 'fair', nparams: 1 });
  });

  it('a read-only connection refuses the setter and answers the getters', async () => {
    const { conn } = await c.open();
    const ro = await (await import('../../../src/index.js')).openConnection('test:///default', { readOnly: true });
    try {
      const d = await ro.lookupDomainByName('test');
      expect(await d.getSchedulerParameters()).toEqual(WEIGHT_50);
      expect((await rejection(d.setSchedulerParameters([]))).message).toBe(
        'operation forbidden: read only access prevents virDomainSetSchedulerParameters',
      );
      expect((await rejection(d.setSchedulerParameters([], 0))).message).toContain('virDomainSetSchedulerParametersFlags');
    } finally {
      await ro.close();
    }
    expect(conn.supports('domainGetSchedulerType')).toBe(true);
  });
});
