/**
 * The table of remote procedures against libvirt's src/remote/remote_protocol.x: each entry's number in
 * `enum remote_procedure`, and each entry's arguments and reply laid out as the `remote_*_args` / `remote_*_ret`
 * structs say (read back, or written, here with the XDR primitives in the struct's field order). The driver's use of
 * the table against a real libvirtd is in test/drivers/remote/.
 */
import { describe, expect, it } from 'vitest';
import { STRING_MAX } from '../../src/rpc/protocol.js';
import {
  BLKIO_PARAMETERS_MAX,
  EVENT_TUNABLE_MAX,
  MEMORY_PARAMETERS_MAX,
  REMOTE_EVENTS,
  REMOTE_PROCEDURES as P,
  SCHEDULER_PARAMETERS_MAX,
  type Procedure,
} from '../../src/rpc/remote-procedures.js';
import { readDomain, readTypedParam, uuidToBytes, writeDomain, writeTypedParam, type WireDomain } from '../../src/rpc/remote-types.js';
import { XdrError, XdrReader, XdrWriter } from '../../src/rpc/xdr.js';
import { TypedParameterType as T, type TypedParameter } from '../../src/typed-params/types.js';

/** `REMOTE_PROC_<name> = <number>` in libvirt's `enum remote_procedure`, for the procedures and events virtune uses. */
const LIBVIRT_NUMBERS: Readonly<Record<string, number>> = {
  CONNECT_OPEN: 1,
  CONNECT_CLOSE: 2,
  CONNECT_GET_TYPE: 3,
  CONNECT_GET_VERSION: 4,
  DOMAIN_CREATE_XML: 10,
  DOMAIN_GET_XML_DESC: 14,
  DOMAIN_GET_INFO: 16,
  DOMAIN_LOOKUP_BY_ID: 22,
  DOMAIN_LOOKUP_BY_NAME: 23,
  DOMAIN_LOOKUP_BY_UUID: 24,
  DOMAIN_SET_MAX_MEMORY: 30,
  DOMAIN_GET_SCHEDULER_TYPE: 56,
  DOMAIN_GET_SCHEDULER_PARAMETERS: 57,
  CONNECT_GET_HOSTNAME: 59,
  CONNECT_SUPPORTS_FEATURE: 60,
  AUTH_LIST: 66,
  DOMAIN_IS_ACTIVE: 150,
  DOMAIN_IS_PERSISTENT: 151,
  CONNECT_GET_LIB_VERSION: 157,
  DOMAIN_MEMORY_STATS: 159,
  DOMAIN_CREATE_WITH_FLAGS: 196,
  DOMAIN_SET_MEMORY_PARAMETERS: 197,
  DOMAIN_GET_MEMORY_PARAMETERS: 198,
  DOMAIN_SET_MEMORY_FLAGS: 204,
  DOMAIN_SET_BLKIO_PARAMETERS: 205,
  DOMAIN_GET_BLKIO_PARAMETERS: 206,
  DOMAIN_GET_STATE: 212,
  DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS: 219,
  DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS: 223,
  DOMAIN_UNDEFINE_FLAGS: 231,
  DOMAIN_DESTROY_FLAGS: 234,
  DOMAIN_SHUTDOWN_FLAGS: 258,
  CONNECT_LIST_ALL_DOMAINS: 273,
  DOMAIN_SET_MEMORY_STATS_PERIOD: 308,
  CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: 316,
  CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: 317,
  DOMAIN_EVENT_CALLBACK_LIFECYCLE: 318,
  DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE: 331,
  DOMAIN_EVENT_CALLBACK_TUNABLE: 346,
  DOMAIN_DEFINE_XML_FLAGS: 350,
};

/** `domainGetXMLDesc` -> `DOMAIN_GET_XML_DESC`: an entry's name as libvirt spells the procedure. */
const libvirtName = (key: string): string =>
  key
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();

type Name = keyof typeof P;
const NAMES = Object.keys(P) as Name[];

// Representative values: a running and an inactive domain, hypers past 2^53, every typed parameter type.
const running: WireDomain = { name: 'vm-é', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', id: 7 };
const inactive: WireDomain = { name: 'x', uuid: '00000000-0000-0000-0000-0000000000ff', id: -1 };
const BEYOND_DOUBLE = (1n << 64n) - 1n; // 2^64 - 1: a number would round it
const params: TypedParameter[] = [
  { field: 'hard_limit', type: T.ULLONG, value: BEYOND_DOUBLE },
  { field: 'soft_limit', type: T.LLONG, value: -(1n << 63n) },
  { field: 'cpu_shares', type: T.UINT, value: 4294967295 },
  { field: 'weight', type: T.INT, value: -5 },
  { field: 'ratio', type: T.DOUBLE, value: 0.25 },
  { field: 'flag', type: T.BOOLEAN, value: true },
  { field: 'device_weight', type: T.STRING, value: '/dev/sda,500' },
];

const str = (r: XdrReader): string => r.string(STRING_MAX);
const domFlags = (r: XdrReader) => ({ dom: readDomain(r), flags: r.uint() });
const paramsOf = (max: number) => (r: XdrReader) => r.array(max, readTypedParam);

/** One call of an entry: argument values with how `remote_*_args` reads them, and replies as `remote_*_ret` writes them. */
interface WireCase {
  args?: readonly { value: unknown; read: (r: XdrReader) => unknown; expected?: unknown }[];
  ret?: readonly { write: (w: XdrWriter) => void; expected: unknown }[];
}
const readsBack = (read: (r: XdrReader) => unknown, ...values: unknown[]): WireCase['args'] => values.map((value) => ({ value, read }));
const domainRet = { write: (w: XdrWriter) => writeDomain(w, running), expected: running };
const intRet = (v: number, expected: unknown) => ({ write: (w: XdrWriter) => w.int(v), expected });

const CASES: Record<Name, WireCase> = {
  connectOpen: {
    // remote_connect_open_args { remote_string name; unsigned int flags; }: the name is optional data.
    args: readsBack((r) => ({ name: r.optional(str), flags: r.uint() }), { name: undefined, flags: 1 }, { name: 'qemu:///system', flags: 0 }),
  },
  connectClose: {},
  connectGetType: { ret: [{ write: (w) => w.string('QEMU', STRING_MAX), expected: 'QEMU' }] },
  connectGetVersion: { ret: [{ write: (w) => w.uhyper(7002000n), expected: 7002000 }] },
  connectGetHostname: { ret: [{ write: (w) => w.string('host.example', STRING_MAX), expected: 'host.example' }] },
  connectSupportsFeature: { args: readsBack((r) => r.int(), 14), ret: [intRet(1, true), intRet(0, false)] },
  authList: { ret: [{ write: (w) => w.array([0, 2], 20, (x, v) => x.int(v)), expected: [0, 2] }] },
  connectGetLibVersion: { ret: [{ write: (w) => w.uhyper(9000000n), expected: 9000000 }] },

  domainLookupByID: { args: readsBack((r) => r.int(), 7), ret: [domainRet] },
  domainLookupByName: { args: readsBack(str, 'vm-é'), ret: [domainRet] },
  domainLookupByUUID: {
    args: [{ value: running.uuid, read: (r) => r.fixedOpaque(16), expected: uuidToBytes(running.uuid) }],
    ret: [domainRet],
  },
  connectListAllDomains: {
    args: readsBack((r) => ({ needResults: r.int(), flags: r.uint() }), { needResults: 1, flags: 3 }),
    ret: [
      {
        write: (w) => w.array([running, inactive], 16384, writeDomain).uint(2),
        expected: { domains: [running, inactive], ret: 2 },
      },
    ],
  },

  domainCreateXML: { args: readsBack((r) => ({ xml: str(r), flags: r.uint() }), { xml: '<domain/>', flags: 0 }), ret: [domainRet] },
  domainDefineXMLFlags: { args: readsBack((r) => ({ xml: str(r), flags: r.uint() }), { xml: '<domain/>', flags: 1 }), ret: [domainRet] },
  domainCreateWithFlags: { args: readsBack(domFlags, { dom: inactive, flags: 0 }), ret: [domainRet] },
  domainDestroyFlags: { args: readsBack(domFlags, { dom: running, flags: 1 }) },
  domainShutdownFlags: { args: readsBack(domFlags, { dom: running, flags: 0 }) },
  domainUndefineFlags: { args: readsBack(domFlags, { dom: inactive, flags: 0 }) },

  domainGetXMLDesc: { args: readsBack(domFlags, { dom: running, flags: 2 }), ret: [{ write: (w) => w.string('<domain/>', STRING_MAX), expected: '<domain/>' }] },
  domainGetInfo: {
    args: readsBack(readDomain, running),
    // unsigned char state; unsigned hyper maxMem, memory; unsigned short nrVirtCpu; unsigned hyper cpuTime.
    ret: [
      {
        write: (w) => w.uint(1).uhyper(BEYOND_DOUBLE).uhyper(524288n).uint(2).uhyper((1n << 53n) + 1n),
        expected: { state: 1, maxMem: BEYOND_DOUBLE, memory: 524288n, nrVirtCpu: 2, cpuTime: (1n << 53n) + 1n },
      },
    ],
  },
  domainGetState: { args: readsBack(domFlags, { dom: running, flags: 0 }), ret: [{ write: (w) => w.int(3).int(1), expected: { state: 3, reason: 1 } }] },
  domainIsActive: { args: readsBack(readDomain, running), ret: [intRet(1, true), intRet(0, false)] },
  domainIsPersistent: { args: readsBack(readDomain, inactive), ret: [intRet(1, true), intRet(0, false)] },

  domainSetMaxMemory: { args: readsBack((r) => ({ dom: readDomain(r), memory: r.uhyper() }), { dom: running, memory: BEYOND_DOUBLE }) },
  domainSetMemoryFlags: {
    args: readsBack((r) => ({ dom: readDomain(r), memory: r.uhyper(), flags: r.uint() }), { dom: running, memory: 1n << 60n, flags: 3 }),
  },
  domainSetMemoryParameters: {
    args: readsBack((r) => ({ dom: readDomain(r), params: paramsOf(MEMORY_PARAMETERS_MAX)(r), flags: r.uint() }), { dom: running, params, flags: 1 }),
  },
  domainGetMemoryParameters: {
    args: readsBack((r) => ({ dom: readDomain(r), nparams: r.int(), flags: r.uint() }), { dom: running, nparams: 0, flags: 2 }),
    ret: [
      { write: (w) => w.array([], MEMORY_PARAMETERS_MAX, writeTypedParam).int(4), expected: { params: [], nparams: 4 } },
      { write: (w) => w.array(params, MEMORY_PARAMETERS_MAX, writeTypedParam).int(7), expected: { params, nparams: 7 } },
    ],
  },
  domainSetBlkioParameters: {
    args: readsBack((r) => ({ dom: readDomain(r), params: paramsOf(BLKIO_PARAMETERS_MAX)(r), flags: r.uint() }), { dom: inactive, params, flags: 2 }),
  },
  domainGetBlkioParameters: {
    args: readsBack((r) => ({ dom: readDomain(r), nparams: r.int(), flags: r.uint() }), { dom: running, nparams: 7, flags: 0 }),
    ret: [{ write: (w) => w.array(params, BLKIO_PARAMETERS_MAX, writeTypedParam).int(7), expected: { params, nparams: 7 } }],
  },

  domainMemoryStats: {
    args: readsBack((r) => ({ dom: readDomain(r), maxStats: r.uint(), flags: r.uint() }), { dom: running, maxStats: 13, flags: 0 }),
    // remote_domain_memory_stat { int tag; unsigned hyper val; }
    ret: [
      {
        write: (w) => w.array([[6, 1048576n], [7, BEYOND_DOUBLE]] as const, 1024, (x, [tag, val]) => x.int(tag).uhyper(val)),
        expected: [{ tag: 6, val: 1048576n }, { tag: 7, val: BEYOND_DOUBLE }],
      },
    ],
  },
  domainSetMemoryStatsPeriod: {
    args: readsBack((r) => ({ dom: readDomain(r), period: r.int(), flags: r.uint() }), { dom: running, period: 5, flags: 1 }),
  },

  domainGetSchedulerType: {
    args: readsBack(readDomain, running),
    ret: [{ write: (w) => w.string('posix', STRING_MAX).int(5), expected: { type: 'posix', nparams: 5 } }],
  },
  domainGetSchedulerParameters: {
    args: readsBack((r) => ({ dom: readDomain(r), nparams: r.int() }), { dom: running, nparams: 5 }),
    ret: [{ write: (w) => w.array(params, SCHEDULER_PARAMETERS_MAX, writeTypedParam), expected: params }],
  },
  domainGetSchedulerParametersFlags: {
    args: readsBack((r) => ({ dom: readDomain(r), nparams: r.int(), flags: r.uint() }), { dom: running, nparams: 5, flags: 2 }),
    ret: [{ write: (w) => w.array(params, SCHEDULER_PARAMETERS_MAX, writeTypedParam), expected: params }],
  },
  domainSetSchedulerParametersFlags: {
    args: readsBack((r) => ({ dom: readDomain(r), params: paramsOf(SCHEDULER_PARAMETERS_MAX)(r), flags: r.uint() }), { dom: running, params, flags: 3 }),
  },

  connectDomainEventCallbackRegisterAny: {
    // remote_connect_domain_event_callback_register_any_args { int eventID; remote_domain dom; }: dom is optional data.
    args: readsBack((r) => ({ eventID: r.int(), dom: r.optional(readDomain) }), { eventID: 17, dom: undefined }, { eventID: 0, dom: running }),
    ret: [intRet(42, 42)],
  },
  connectDomainEventCallbackDeregisterAny: { args: readsBack((r) => r.int(), 42) },
};

/** What an entry's argument writer puts on the wire, read back with the struct's layout; every byte must be used. */
function writtenArgs<A>(p: Procedure<A, unknown>, value: A, read: (r: XdrReader) => unknown): unknown {
  const w = new XdrWriter();
  p.args?.(w, value);
  const r = new XdrReader(w.finish());
  const got = read(r);
  r.end();
  return got;
}

/** What an entry's reply reader makes of a reply written with the struct's layout; every byte must be used. */
function readRet<R>(p: Procedure<unknown, R>, write: (w: XdrWriter) => void): R {
  const w = new XdrWriter();
  write(w);
  const r = new XdrReader(w.finish());
  const got = p.ret?.(r);
  r.end();
  return got as R;
}

describe('the table of remote procedures', () => {
  it("numbers each procedure as libvirt's enum remote_procedure does", () => {
    const numbers = Object.fromEntries(NAMES.map((n) => [libvirtName(n), P[n].proc]));
    const expected = Object.fromEntries(Object.keys(numbers).map((n) => [n, LIBVIRT_NUMBERS[n]]));
    expect(numbers).toEqual(expected);
  });

  it("numbers the events it reads as libvirt's DOMAIN_EVENT_CALLBACK_* messages", () => {
    // Each message starts with int callbackID; remote_nonnull_domain dom.
    const head = (w: XdrWriter, callbackID: number): XdrWriter => {
      writeDomain(w.int(callbackID), running);
      return w;
    };
    const messages: Record<number, (w: XdrWriter) => void> = {
      318: (w) => head(w, 1).int(2).int(0), // int event; int detail
      331: (w) => head(w, 2).uhyper(BEYOND_DOUBLE), // unsigned hyper actual
      346: (w) => head(w, 3).array(params, EVENT_TUNABLE_MAX, writeTypedParam), // remote_typed_param params<>
    };
    expect(Object.keys(REMOTE_EVENTS).map(Number).sort()).toEqual(Object.keys(messages).map(Number).sort());
    for (const [num, read] of Object.entries(REMOTE_EVENTS)) {
      const w = new XdrWriter();
      messages[Number(num)]!(w);
      const reader = new XdrReader(w.finish());
      const event = read(reader);
      reader.end();
      expect(LIBVIRT_NUMBERS[`DOMAIN_EVENT_CALLBACK_${event.kind.replace('-', '_').toUpperCase()}`]).toBe(Number(num));
      expect(event).toMatchObject({ callbackID: { 318: 1, 331: 2, 346: 3 }[num], dom: running });
    }
    const w = new XdrWriter();
    messages[331]!(w);
    expect(REMOTE_EVENTS[331](new XdrReader(w.finish())).actual).toBe(BEYOND_DOUBLE);
  });

  it('has one entry per procedure: no two entries share a libvirt name or a number, events included', () => {
    const names = NAMES.map(libvirtName);
    expect(new Set(names).size).toBe(names.length);
    const numbers = [...NAMES.map((n) => P[n].proc), ...Object.keys(REMOTE_EVENTS).map(Number)];
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('has a wire case here for every entry, and arguments or a reply exactly where libvirt has them', () => {
    expect(Object.keys(CASES).sort()).toEqual([...NAMES].sort());
    for (const n of NAMES) {
      expect({ n, args: P[n].args !== undefined, ret: P[n].ret !== undefined }).toEqual({ n, args: CASES[n].args !== undefined, ret: CASES[n].ret !== undefined });
    }
  });

  it.each(NAMES)("%s writes its arguments as libvirt's remote_*_args lays them out", (n) => {
    for (const c of CASES[n].args ?? []) {
      expect(writtenArgs(P[n] as Procedure<unknown, unknown>, c.value, c.read)).toEqual(c.expected ?? c.value);
    }
  });

  it.each(NAMES)("%s reads libvirt's remote_*_ret, hypers as exact bigints", (n) => {
    for (const c of CASES[n].ret ?? []) expect(readRet(P[n] as Procedure<unknown, unknown>, c.write)).toEqual(c.expected);
  });

  it("refuses more typed parameters than libvirt's limits, writing and reading (REMOTE_DOMAIN_*_PARAMETERS_MAX)", () => {
    expect([MEMORY_PARAMETERS_MAX, BLKIO_PARAMETERS_MAX, SCHEDULER_PARAMETERS_MAX, EVENT_TUNABLE_MAX]).toEqual([16, 16, 16, 2048]);
    const tooMany = Array.from({ length: 17 }, (_, i) => ({ field: `p${i}`, type: T.UINT as const, value: i }));
    for (const p of [P.domainSetMemoryParameters, P.domainSetBlkioParameters, P.domainSetSchedulerParametersFlags]) {
      expect(() => p.args?.(new XdrWriter(), { dom: running, params: tooMany, flags: 0 })).toThrow(RangeError);
    }
    const reply = new XdrWriter().array(tooMany, 17, writeTypedParam).int(17).finish();
    for (const p of [P.domainGetMemoryParameters, P.domainGetBlkioParameters, P.domainGetSchedulerParametersFlags]) {
      expect(() => p.ret?.(new XdrReader(reply))).toThrow(XdrError);
    }
  });
});
