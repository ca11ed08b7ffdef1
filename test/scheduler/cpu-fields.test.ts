import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { cpuPercentToQuota, cpuTuneValuesToParams, paramsToCpuTune } from '../../src/scheduler/cpu-fields.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { ll, ull } from '../helpers/typed-param.js';
import { virErrorOf } from '../helpers/vir-error.js';

describe('CPU percentages', () => {
  it('are a quota of the period, rounded to the microsecond; unlimited is -1', () => {
    expect(cpuPercentToQuota(50, 100000n)).toBe(50000n);
    expect(cpuPercentToQuota(250, 100000n)).toBe(250000n);
    expect(cpuPercentToQuota(12.5, 10000n)).toBe(1250n);
    expect(cpuPercentToQuota(1 / 3, 1000000n)).toBe(3333n);
    expect(cpuPercentToQuota('unlimited', 100000n)).toBe(-1n);
  });

  it.each([0, -5, NaN, Infinity])('refuses %s', (bad) => {
    const e = virErrorOf(() => cpuPercentToQuota(bad, 100000n));
    expect([e.code, e.message]).toEqual([
      ErrorCode.INVALID_ARG,
      `invalid argument: CPU percentage must be a positive number or 'unlimited', not '${bad}'`,
    ]);
  });
});

describe('named cputune fields to typed parameters', () => {
  it("gives libvirt's names and types, in libvirt's order", () => {
    expect(cpuTuneValuesToParams({ quota: -1, shares: 512n, weight: 7, emulatorPeriod: 5000 })).toEqual([
      { field: 'cpu_shares', type: T.ULLONG, value: 512n },
      { field: 'vcpu_quota', type: T.LLONG, value: -1 },
      { field: 'emulator_period', type: T.ULLONG, value: 5000 },
      { field: 'weight', type: T.UINT, value: 7 },
    ]);
  });

  it('turns cpuPercent into vcpu_period and vcpu_quota, the period given or 100000 µs', () => {
    expect(cpuTuneValuesToParams({ cpuPercent: 50 })).toEqual([
      { field: 'vcpu_period', type: T.ULLONG, value: 100000n },
      { field: 'vcpu_quota', type: T.LLONG, value: 50000n },
    ]);
    expect(cpuTuneValuesToParams({ globalCpuPercent: 150, globalPeriod: 200000 })).toEqual([
      { field: 'global_period', type: T.ULLONG, value: 200000n },
      { field: 'global_quota', type: T.LLONG, value: 300000n },
    ]);
  });

  it('refuses a percentage with its own quota, and fields it does not know', () => {
    expect(virErrorOf(() => cpuTuneValuesToParams({ cpuPercent: 5, quota: 1000 })).message).toBe(
      'invalid argument: cpuPercent and quota cannot be given together',
    );
    const e = virErrorOf(() => cpuTuneValuesToParams({ cpu_shares: 5 } as never));
    expect([e.code, e.message]).toEqual([ErrorCode.ARGUMENT_UNSUPPORTED, "argument unsupported: cputune field 'cpu_shares' not supported"]);
  });

  it('reads a getter answer back as fields, the fair weight included', () => {
    expect(paramsToCpuTune([ull('cpu_shares', 1024), ll('vcpu_quota', -1), { field: 'weight', type: T.UINT, value: 50 }])).toEqual({
      shares: 1024n,
      quota: -1n,
      weight: 50,
    });
  });
});
