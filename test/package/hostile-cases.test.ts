// Cross-cutting suite (test/package/): the hostile inputs issue 11 names, one by one, through the package's entry
// points — each answered by a VirError, or by a result that does not depend on the caller's object reading the
// same twice. (hostile-inputs.property.test.ts throws generated ones at every export.)
import { afterEach, describe, expect, it } from 'vitest';
import {
  ErrorCode, TypedParameterType, VirError, getTypedParam, parseMemtune, parseURI, validateTypedParams, withoutTuning,
} from '../../src/index.js';
import { createMockDriver, type MockDriver } from '../../src/testing/index.js';
import { rejection, virErrorOf } from '../helpers/vir-error.js';

const hostileToString = { toString(): never { throw new RangeError('hostile'); }, childNodes: () => [] };

describe('hostile inputs, one by one', () => {
  let mock: MockDriver | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  it('parseMemtune of an element-like object is refused like any non-string, never read by its toString', () => {
    const unclosed = { childNodes: () => [], toString: () => '<memtune><hard_limit>5' };
    expect(virErrorOf(() => parseMemtune(unclosed as never)).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => parseMemtune(hostileToString as never)).code).toBe(ErrorCode.INVALID_ARG);
    // As a string, the same text is checked for well-formedness: no 5 comes out of it.
    expect(virErrorOf(() => parseMemtune('<memtune><hard_limit>5')).code).toBe(ErrorCode.XML_DETAIL);
  });

  it('a Proxy whose getters throw, given as parameters, is INVALID_ARG with the original as its cause', async () => {
    mock = await createMockDriver();
    const conn = await mock.connect();
    const dom = await conn.lookupDomainByName('test');
    const proxy = new Proxy([{ field: 'hard_limit', type: TypedParameterType.ULLONG, value: 1n }], {
      get(): never { throw new RangeError('hostile get'); },
    });
    const e = await rejection(dom.setMemoryParameters(proxy as never, 0));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.cause).toBeInstanceOf(RangeError);
  });

  it('a parameter whose value changes between reads reaches the driver as it was checked', async () => {
    mock = await createMockDriver();
    const conn = await mock.connect();
    const dom = await conn.lookupDomainByName('test');
    let reads = 0;
    const param = {
      field: 'hard_limit',
      type: TypedParameterType.ULLONG,
      get value(): unknown { return reads++ === 0 ? 1048576n : { toString: () => 'changed' }; },
    };
    await dom.setMemoryParameters([param as never], 0);
    const call = mock.calls.find((c) => c.entry === 'domainSetMemoryParameters')!;
    expect((call.args[1] as Array<{ value: unknown }>)[0]!.value).toBe(1048576n);
    expect(reads).toBe(1);
    const [hard] = (await dom.getMemoryParameters(0)).filter((p) => p.field === 'hard_limit');
    expect(hard!.value).toBe(1048576n);
  });

  it('a sparse array of length 2^32 - 1 is refused at once, not walked', () => {
    const huge = Object.assign([], { length: 2 ** 32 - 1 });
    const t0 = performance.now();
    expect(virErrorOf(() => validateTypedParams(huge, {})).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => getTypedParam(huge, 'x')).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => withoutTuning({} as never, huge, 'r')).code).toBe(ErrorCode.INVALID_ARG);
    // Walking it would take minutes; refusing it takes nothing measurable against that.
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('an array-like posing as a URI is refused without being joined', () => {
    let reads = 0;
    const list = new Proxy(['test:///default'], { get: (t, k) => (k === 'length' ? (reads++ === 0 ? 1 : 2 ** 32 - 1) : Reflect.get(t, k)) });
    expect(virErrorOf(() => parseURI(list as never)).code).toBe(ErrorCode.INVALID_ARG);
    expect(reads).toBe(0);
  });

  it('a frozen parameter list and a bigint where a number belongs answer like libvirt', () => {
    const frozen = Object.freeze([Object.freeze({ field: 'hard_limit', type: TypedParameterType.ULLONG, value: 5 })]);
    expect(validateTypedParams(frozen, { hard_limit: TypedParameterType.ULLONG })[0]!.value).toBe(5n);
    const e = virErrorOf(() => validateTypedParams([{ field: "x", type: TypedParameterType.INT, value: 5n } as never], { x: TypedParameterType.INT }));
    expect(e).toBeInstanceOf(VirError);
    expect(e.message).toBe("invalid argument: invalid value for parameter 'x' of type 'int'");
  });
});
