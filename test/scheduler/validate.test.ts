import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import {
  LXC_SCHEDULER_PARAM_NAMES,
  POSIX_SCHEDULER_PARAM_NAMES,
} from '../../src/scheduler/params.js';
import {
  checkSchedulerRanges,
  liveSchedulerChanges,
  mergeConfigCpuTune,
  mergeLiveCpuTune,
  parseSchedulerParams,
  schedulerEventParams,
  schedulerParamsOf,
} from '../../src/scheduler/validate.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { ll, ull } from '../helpers/typed-param.js';
import { virErrorOf } from '../helpers/vir-error.js';

const ALL = POSIX_SCHEDULER_PARAM_NAMES;
const ranges = (params: Parameters<typeof parseSchedulerParams>[0]) => () =>
  checkSchedulerRanges(parseSchedulerParams(params, ALL), ErrorDomain.QEMU);

describe('scheduler parameters: libvirt types', () => {
  it('keeps the caller order and maps each name to its cputune field', () => {
    const changes = parseSchedulerParams([ll('vcpu_quota', -1), ull('cpu_shares', 512), ull('global_period', 5000)], ALL);
    expect(changes.map((c) => [c.name, c.field, c.value])).toEqual([
      ['vcpu_quota', 'quota', -1n],
      ['cpu_shares', 'shares', 512n],
      ['global_period', 'globalPeriod', 5000n],
    ]);
  });

  it('refuses as virTypedParamsValidate does: unknown names, wrong types, duplicates (error domain NONE)', () => {
    const unknown = virErrorOf(() => parseSchedulerParams([ull('emulator_period', 1000)], LXC_SCHEDULER_PARAM_NAMES));
    expect([unknown.code, unknown.domain, unknown.message]).toEqual([
      ErrorCode.ARGUMENT_UNSUPPORTED,
      ErrorDomain.NONE,
      "argument unsupported: parameter 'emulator_period' not supported",
    ]);
    expect(virErrorOf(() => parseSchedulerParams([ull('vcpu_quota', 1000)], ALL)).message).toBe(
      "invalid argument: invalid type 'ullong' for parameter 'vcpu_quota', expected 'llong'",
    );
    expect(virErrorOf(() => parseSchedulerParams([ll('cpu_shares', 2)], ALL)).message).toBe(
      "invalid argument: invalid type 'llong' for parameter 'cpu_shares', expected 'ullong'",
    );
    expect(virErrorOf(() => parseSchedulerParams([ull('cpu_shares', 2), ull('cpu_shares', 3)], ALL)).message).toBe(
      "invalid argument: parameter 'cpu_shares' occurs multiple times",
    );
  });
});

describe('scheduler parameters: libvirt ranges (SCHED_RANGE_CHECK, measured on libvirtd 9.0 QEMU)', () => {
  it.each([
    [ull('vcpu_period', 999), "invalid argument: value of 'vcpu_period' is out of range [1000, 1000000]"],
    [ull('emulator_period', 1000001), "invalid argument: value of 'emulator_period' is out of range [1000, 1000000]"],
    [ll('vcpu_quota', 999), "invalid argument: value of 'vcpu_quota' is out of range [1000, 17592186044415]"],
    [ll('iothread_quota', 17592186044416n), "invalid argument: value of 'iothread_quota' is out of range [1000, 17592186044415]"],
  ])('refuses %o', (param, message) => {
    const e = virErrorOf(ranges([param]));
    expect([e.code, e.domain, e.message]).toEqual([ErrorCode.INVALID_ARG, ErrorDomain.QEMU, message]);
  });

  it('accepts 0, the bounds, any negative quota, and any cpu_shares', () => {
    expect(
      ranges([ull('vcpu_period', 0), ll('vcpu_quota', -5), ull('global_period', 1000), ll('global_quota', 17592186044415n)]),
    ).not.toThrow();
    expect(ranges([ull('emulator_period', 1000000), ll('emulator_quota', 1000), ull('cpu_shares', 2n ** 64n - 1n)])).not.toThrow();
  });

  it('reports the first out-of-range parameter in the caller order', () => {
    expect(virErrorOf(ranges([ll('global_quota', 1), ull('vcpu_period', 1)])).message).toContain("'global_quota'");
  });
});

describe('merging a change into a definition', () => {
  const changes = parseSchedulerParams([ull('cpu_shares', 0), ull('vcpu_period', 0), ll('vcpu_quota', 20000)], ALL);

  it('the persistent definition stores values as given, 0 unsets a period or quota but sets shares', () => {
    expect(mergeConfigCpuTune({ period: 5000n, globalQuota: 3000n }, changes)).toEqual({
      shares: 0n,
      quota: 20000n,
      globalQuota: 3000n,
    });
    expect(mergeConfigCpuTune({ period: 5000n }, parseSchedulerParams([ull('vcpu_period', 0)], ALL))).toBeUndefined();
  });

  it('the running domain leaves a period or quota of 0 alone', () => {
    expect(liveSchedulerChanges(changes).map((c) => c.name)).toEqual(['cpu_shares', 'vcpu_quota']);
    expect(mergeLiveCpuTune({ period: 5000n }, changes)).toEqual({ period: 5000n, shares: 0n, quota: 20000n });
  });

  it('does not modify the base', () => {
    const base = { period: 5000n };
    mergeConfigCpuTune(base, changes);
    mergeLiveCpuTune(base, changes);
    expect(base).toEqual({ period: 5000n });
  });
});

describe('reporting', () => {
  it("answers every supported name in libvirt's order, 0 for what is not set", () => {
    expect(schedulerParamsOf({ quota: -1n, shares: 700n }, ALL)).toEqual([
      ull('cpu_shares', 700),
      ull('vcpu_period', 0),
      ll('vcpu_quota', -1),
      ull('emulator_period', 0),
      ll('emulator_quota', 0),
      ull('global_period', 0),
      ll('global_quota', 0),
      ull('iothread_period', 0),
      ll('iothread_quota', 0),
    ]);
    expect(schedulerParamsOf(undefined, LXC_SCHEDULER_PARAM_NAMES).map((p) => p.field)).toEqual(['cpu_shares', 'vcpu_period', 'vcpu_quota']);
  });

  it("names TUNABLE event parameters as libvirt's VIR_DOMAIN_TUNABLE_CPU_* keys, with the values held", () => {
    const changes = parseSchedulerParams([ll('vcpu_quota', 50000), ull('cpu_shares', 512)], ALL);
    expect(schedulerEventParams(changes, { quota: 50000n, shares: 510n })).toEqual([
      { field: 'cputune.vcpu_quota', type: T.LLONG, value: 50000n },
      { field: 'cputune.cpu_shares', type: T.ULLONG, value: 510n },
    ]);
  });
});
