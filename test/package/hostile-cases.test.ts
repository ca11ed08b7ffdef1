// Cross-cutting suite (test/package/): the hostile inputs issue 11 names, one by one, through the package's entry
// points — each answered by a VirError, or by a result that does not depend on the caller's object reading the
// same twice. (hostile-inputs.property.test.ts throws generated ones at every export.)
import { afterEach, describe, expect, it } from 'vitest';
import {
  ErrorCode, ParamTable, TypedParameterType, VirError, createLxcDriverFactory, getTypedParam, openConnection, parseMemtune, parseURI,
  readHostView, validateTypedParams, withoutTuning,
} from '../../src/index.js';
import { startCimServer } from '../../src/cim/index.js';
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

  // Node 20 aborts the process (a C++ assertion) on readFileSync(-0, 'utf8'): no caller's non-string may reach fs.
  it('a path that is not a string is refused before it reaches node\'s fs, where -0 aborts Node 20', () => {
    expect(virErrorOf(() => readHostView(-0 as never)).code).toBe(ErrorCode.INVALID_ARG);
    expect(virErrorOf(() => readHostView(undefined, -0 as never)).code).toBe(ErrorCode.INVALID_ARG);
    // The factory's paths are used at every open: they are checked when it is made.
    for (const bad of [{ mountinfoPath: -0 }, { root: -0 }, { parent: 5 }, { mountinfoPath: 'a\0b' }, { version: 'v3' }, { controllers: {} }, -0]) {
      expect(virErrorOf(() => createLxcDriverFactory(bad as never)).code).toBe(ErrorCode.INVALID_ARG);
    }
    // Read once: a getter answering a path to the check and -0 afterwards changes nothing.
    let reads = 0;
    const factory = createLxcDriverFactory({ get mountinfoPath(): unknown { return reads++ === 0 ? '/nonexistent/mountinfo' : -0; } } as never);
    expect(factory.schemes).toEqual(['lxc']);
    expect(reads).toBe(1);
  });

  it('a parameter table from rows that are not rows is INVALID_ARG, and keeps its own copy of good ones', () => {
    for (const rows of [[undefined], [{ name: 'w', field: 'w', type: 99 }], [{ name: 5, field: 'w', type: 2 }], { length: 1 }]) {
      expect(virErrorOf(() => new ParamTable(rows as never)).code).toBe(ErrorCode.INVALID_ARG);
    }
    const row = { name: 'weight', type: TypedParameterType.UINT, field: 'weight' };
    const table = new ParamTable([row]);
    row.name = 'changed';
    expect(table.names).toEqual(['weight']);
  });

  it('startCimServer refuses options of the wrong type before listening (a number for host made node listen everywhere)', async () => {
    const conn = await openConnection('test:///default');
    try {
      for (const options of [{ host: 5, port: 0 }, { host: '', port: 0 }, { port: -1 }, { port: 1.5 }, { port: 0, maxBodyBytes: NaN }, { port: 0, log: 'x' }, { port: 0, readWrite: 'yes' }]) {
        const e = await rejection(startCimServer(conn, options as never));
        expect(e.code, JSON.stringify(options)).toBe(ErrorCode.INVALID_ARG);
      }
    } finally {
      await conn.close();
    }
  });
});
