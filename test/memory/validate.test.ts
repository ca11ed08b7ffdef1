import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import {
  MEMORY_PARAM_NAMES,
  UNLIMITED,
  emptyMemTune,
  memTuneToParams,
  memTuneUpdateToParams,
  memoryParamCount,
  mergeMemTune,
  parseMemoryParams,
  type MemoryParamName,
} from '../../src/memory/index.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { virErrorOf } from '../helpers/vir-error.js';
import { LIBVIRT_MEMTUNE_PARAMS, memoryParamSpec } from '../../src/memory/params.js';

const LIBVIRT3: MemoryParamName[] = ['hard_limit', 'soft_limit', 'swap_hard_limit'];
const ALL = [...MEMORY_PARAM_NAMES];

describe('parseMemoryParams', () => {
  it('turns a valid list into a KiB update', () => {
    const u = parseMemoryParams(
      [
        { field: 'hard_limit', type: T.ULLONG, value: 1024n },
        { field: 'soft_limit', type: T.ULLONG, value: 512 },
      ],
      LIBVIRT3,
      ErrorDomain.TEST,
    );
    expect(u).toEqual({ hardLimit: 1024n, softLimit: 512n });
  });

  it('refuses an empty list with libvirt words and no prefix', () => {
    const e = virErrorOf(() => parseMemoryParams([], LIBVIRT3, ErrorDomain.TEST));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.domain).toBe(ErrorDomain.DOMAIN);
    expect(e.message).toBe('nparams in virDomainSetMemoryParameters must be greater than zero');
  });

  it('refuses duplicates, wrong types and unknown names as virTypedParamsValidate does', () => {
    const dup = virErrorOf(() =>
      parseMemoryParams(
        [
          { field: 'soft_limit', type: T.ULLONG, value: 1n },
          { field: 'soft_limit', type: T.ULLONG, value: 2n },
        ],
        LIBVIRT3,
        ErrorDomain.TEST,
      ),
    );
    expect([dup.code, dup.domain, dup.message]).toEqual([
      ErrorCode.INVALID_ARG,
      ErrorDomain.NONE,
      "invalid argument: parameter 'soft_limit' occurs multiple times",
    ]);
    const int = virErrorOf(() => parseMemoryParams([{ field: 'hard_limit', type: T.INT, value: 1 }], LIBVIRT3, ErrorDomain.TEST));
    expect(int.message).toBe("invalid argument: invalid type 'int' for parameter 'hard_limit', expected 'ullong'");
    const unk = virErrorOf(() =>
      parseMemoryParams([{ field: 'min_guarantee', type: T.ULLONG, value: 1n }], LIBVIRT3, ErrorDomain.TEST),
    );
    expect([unk.code, unk.message]).toEqual([
      ErrorCode.ARGUMENT_UNSUPPORTED,
      "argument unsupported: parameter 'min_guarantee' not supported",
    ]);
  });

  it('reports the first problem in name order, like libvirt', () => {
    // 'aaa' sorts before the duplicate soft_limit: libvirt reports the unknown name.
    const e = virErrorOf(() =>
      parseMemoryParams(
        [
          { field: 'soft_limit', type: T.ULLONG, value: 1n },
          { field: 'soft_limit', type: T.ULLONG, value: 2n },
          { field: 'aaa', type: T.ULLONG, value: 2n },
        ],
        LIBVIRT3,
        ErrorDomain.TEST,
      ),
    );
    expect(e.message).toBe("argument unsupported: parameter 'aaa' not supported");
  });

  it('accepts UNLIMITED and refuses anything above it', () => {
    expect(parseMemoryParams([{ field: 'hard_limit', type: T.ULLONG, value: UNLIMITED }], LIBVIRT3, ErrorDomain.QEMU)).toEqual({
      hardLimit: UNLIMITED,
    });
    const e = virErrorOf(() =>
      parseMemoryParams([{ field: 'hard_limit', type: T.ULLONG, value: BigInt(UNLIMITED) + 1n }], LIBVIRT3, ErrorDomain.QEMU),
    );
    expect([e.code, e.domain]).toEqual([ErrorCode.INVALID_ARG, ErrorDomain.QEMU]);
    expect(e.message).toBe("invalid argument: Memory '9007199254740992' must be less than '9007199254740991'");
  });

  it('never rounds an unsafe number', () => {
    const e = virErrorOf(() =>
      parseMemoryParams([{ field: 'hard_limit', type: T.ULLONG, value: 2 ** 60 + 0.5 }], LIBVIRT3, ErrorDomain.TEST),
    );
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
  });
});

describe('mergeMemTune', () => {
  it('checks hard <= swap on the merged values and leaves the base alone', () => {
    const base = { ...emptyMemTune(), swapHardLimit: 1000n };
    const e = virErrorOf(() => mergeMemTune(base, { hardLimit: 2000n }, ErrorDomain.LXC));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorCode.INVALID_ARG,
      ErrorDomain.LXC,
      'invalid argument: memory hard_limit tunable value must be lower than or equal to swap_hard_limit',
    ]);
    expect(base).toEqual({ ...emptyMemTune(), swapHardLimit: 1000n });
    expect(mergeMemTune(base, { hardLimit: 1000n }, ErrorDomain.LXC).hardLimit).toBe(1000n);
    expect(mergeMemTune(base, { hardLimit: 2000n, swapHardLimit: UNLIMITED }, ErrorDomain.LXC)).toMatchObject({
      hardLimit: 2000n,
      swapHardLimit: UNLIMITED,
    });
  });

  it('does not re-check hard <= swap when neither is being set', () => {
    const bad = { ...emptyMemTune(), hardLimit: 10n, swapHardLimit: 5n };
    expect(mergeMemTune(bad, { softLimit: 1n }, ErrorDomain.TEST).softLimit).toBe(1n);
  });
});

describe('memTuneToParams', () => {
  it("always gives libvirt's three in libvirt's order", () => {
    const p = memTuneToParams(emptyMemTune(), ALL);
    expect(p.map((x) => x.field)).toEqual(['hard_limit', 'soft_limit', 'swap_hard_limit']);
    expect(p.every((x) => x.type === T.ULLONG && x.value === BigInt(UNLIMITED))).toBe(true);
    expect(memoryParamCount(emptyMemTune(), ALL)).toBe(3);
  });

  it('adds the extensions only when supported and set', () => {
    const m = { ...emptyMemTune(), minGuarantee: 7n, swapSoftLimit: 9n };
    expect(memTuneToParams(m, ALL).map((x) => [x.field, x.value])).toEqual([
      ['hard_limit', BigInt(UNLIMITED)],
      ['soft_limit', BigInt(UNLIMITED)],
      ['swap_hard_limit', BigInt(UNLIMITED)],
      ['min_guarantee', 7n],
      ['swap_soft_limit', 9n],
    ]);
    expect(memoryParamCount(m, ALL)).toBe(5);
    expect(memoryParamCount(m, LIBVIRT3)).toBe(3);
    expect(memoryParamCount({ ...m, minGuarantee: 0n }, ALL)).toBe(4);
  });

  it('reports a 0 limit, which is a real limit', () => {
    const p = memTuneToParams({ ...emptyMemTune(), hardLimit: 0n }, LIBVIRT3);
    expect(p[0]).toEqual({ field: 'hard_limit', type: T.ULLONG, value: 0n });
  });

  it('lists what an update set, for tunable events', () => {
    expect(memTuneUpdateToParams({ swapHardLimit: 3n, hardLimit: 1n }).map((p) => p.field)).toEqual([
      'hard_limit',
      'swap_hard_limit',
    ]);
  });

  it('builds one frozen spec per list of names, and a narrower list gets its own', () => {
    const all = memoryParamSpec(MEMORY_PARAM_NAMES);
    expect(memoryParamSpec(MEMORY_PARAM_NAMES)).toBe(all);
    expect(Object.isFrozen(all)).toBe(true);
    expect(all).toEqual(Object.fromEntries(MEMORY_PARAM_NAMES.map((n) => [n, T.ULLONG])));
    expect(Object.keys(memoryParamSpec(LIBVIRT_MEMTUNE_PARAMS))).toEqual(['hard_limit', 'soft_limit', 'swap_hard_limit']);
    // A list with the same names but another identity is not mistaken for a cached one: same content, fresh spec.
    expect(memoryParamSpec([...LIBVIRT_MEMTUNE_PARAMS])).toEqual(memoryParamSpec(LIBVIRT_MEMTUNE_PARAMS));
  });
});
