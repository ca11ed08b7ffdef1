/**
 * The remote program's procedures virtune uses: one entry each, its number in `enum remote_procedure` and the XDR
 * layout of its arguments and reply (remote_protocol.x's `remote_*_args` / `remote_*_ret`). Adding a procedure is
 * adding one entry here; {@link invoke} does the rest.
 */
import type { TypedParameter, TypedParameterInput } from '../typed-params/types.js';
import type { CallOptions, RpcClient } from './client.js';
import { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, STRING_MAX } from './protocol.js';
import {
  readDomain,
  readTypedParam,
  UUID_BYTES,
  uuidToBytes,
  writeDomain,
  writeOptionalString,
  writeTypedParam,
  type WireDomain,
} from './remote-types.js';
import type { XdrReader, XdrWriter } from './xdr.js';

/** One procedure: its number and how its arguments and reply are laid out. */
export interface Procedure<A, R> {
  readonly proc: number;
  readonly args?: (w: XdrWriter, a: A) => void;
  readonly ret?: (r: XdrReader) => R;
}

const proc = <A = void, R = void>(n: number, args?: (w: XdrWriter, a: A) => void, ret?: (r: XdrReader) => R): Procedure<A, R> => ({
  proc: n,
  ...(args ? { args } : {}),
  ...(ret ? { ret } : {}),
});

// Limits from remote_protocol.x.
const AUTH_TYPE_LIST_MAX = 20;
const DOMAIN_LIST_MAX = 16384;
/** REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX: the most memory parameters one message carries. */
export const MEMORY_PARAMETERS_MAX = 16;
/** REMOTE_DOMAIN_BLKIO_PARAMETERS_MAX. */
export const BLKIO_PARAMETERS_MAX = 16;
const MEMORY_STATS_MAX = 1024;
/** REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX: the most scheduler parameters one message carries. */
export const SCHEDULER_PARAMETERS_MAX = 16;
/** REMOTE_DOMAIN_EVENT_TUNABLE_MAX. */
export const EVENT_TUNABLE_MAX = 2048;

interface DomFlags {
  dom: WireDomain;
  flags: number;
}
const domFlags = (w: XdrWriter, a: DomFlags): void => {
  writeDomain(w, a.dom);
  w.uint(a.flags);
};
const xmlFlags = (w: XdrWriter, a: { xml: string; flags: number }): void => {
  w.string(a.xml, STRING_MAX).uint(a.flags);
};
const str = (r: XdrReader): string => r.string(STRING_MAX);
const int = (r: XdrReader): number => r.int();
/** An `unsigned hyper` the API hands out as a number (versions, KiB amounts well below 2^53). */
const uhyperNumber = (r: XdrReader): number => Number(r.uhyper());

/** remote_domain_set_{memory,blkio}_parameters_args: a domain, its typed parameters (at most `max`), flags. */
interface SetParamsArgs {
  dom: WireDomain;
  params: readonly TypedParameterInput[];
  flags: number;
}
const setParamsArgs = (max: number) => (w: XdrWriter, a: SetParamsArgs): void => {
  writeDomain(w, a.dom);
  w.array(a.params, max, writeTypedParam).uint(a.flags);
};
/** remote_domain_get_{memory,blkio}_parameters_args and _ret: nparams 0 asks for the count only. */
interface GetParamsArgs {
  dom: WireDomain;
  nparams: number;
  flags: number;
}
interface GetParamsRet {
  params: TypedParameter[];
  nparams: number;
}
const getParamsArgs = (w: XdrWriter, a: GetParamsArgs): void => {
  writeDomain(w, a.dom);
  w.int(a.nparams).uint(a.flags);
};
const getParamsRet = (max: number) => (r: XdrReader): GetParamsRet => ({ params: r.array(max, readTypedParam), nparams: r.int() });

/** libvirt's remote_domain_get_info_ret; `unsigned char` and `unsigned short` travel as 4-byte units. */
export interface WireDomainInfo {
  state: number;
  maxMem: bigint;
  memory: bigint;
  nrVirtCpu: number;
  cpuTime: bigint;
}

export const REMOTE_PROCEDURES = {
  connectOpen: proc<{ name: string | undefined; flags: number }>(1, (w, a) => {
    writeOptionalString(w, a.name);
    w.uint(a.flags);
  }),
  connectClose: proc(2),
  connectGetType: proc<void, string>(3, undefined, str),
  connectGetVersion: proc<void, number>(4, undefined, uhyperNumber),
  connectGetHostname: proc<void, string>(59, undefined, str),
  connectSupportsFeature: proc<number, boolean>(60, (w, f) => w.int(f), (r) => r.int() !== 0),
  authList: proc<void, number[]>(66, undefined, (r) => r.array(AUTH_TYPE_LIST_MAX, int)),
  connectGetLibVersion: proc<void, number>(157, undefined, uhyperNumber),

  domainLookupByID: proc<number, WireDomain>(22, (w, id) => w.int(id), readDomain),
  domainLookupByName: proc<string, WireDomain>(23, (w, n) => w.string(n, STRING_MAX), readDomain),
  domainLookupByUUID: proc<string, WireDomain>(24, (w, u) => w.fixedOpaque(uuidToBytes(u), UUID_BYTES), readDomain),
  connectListAllDomains: proc<{ needResults: number; flags: number }, { domains: WireDomain[]; ret: number }>(
    273,
    (w, a) => w.int(a.needResults).uint(a.flags),
    (r) => ({ domains: r.array(DOMAIN_LIST_MAX, readDomain), ret: r.uint() }),
  ),

  domainCreateXML: proc<{ xml: string; flags: number }, WireDomain>(10, xmlFlags, readDomain),
  domainDefineXMLFlags: proc<{ xml: string; flags: number }, WireDomain>(350, xmlFlags, readDomain),
  domainCreateWithFlags: proc<DomFlags, WireDomain>(196, domFlags, readDomain),
  domainDestroyFlags: proc<DomFlags>(234, domFlags),
  domainShutdownFlags: proc<DomFlags>(258, domFlags),
  domainUndefineFlags: proc<DomFlags>(231, domFlags),

  domainGetXMLDesc: proc<DomFlags, string>(14, domFlags, str),
  domainGetInfo: proc<WireDomain, WireDomainInfo>(16, writeDomain, (r) => ({
    state: r.uint(),
    maxMem: r.uhyper(),
    memory: r.uhyper(),
    nrVirtCpu: r.uint(),
    cpuTime: r.uhyper(),
  })),
  domainGetState: proc<DomFlags, { state: number; reason: number }>(212, domFlags, (r) => ({ state: r.int(), reason: r.int() })),
  domainIsActive: proc<WireDomain, boolean>(150, writeDomain, (r) => r.int() !== 0),
  domainIsPersistent: proc<WireDomain, boolean>(151, writeDomain, (r) => r.int() !== 0),

  domainSetMaxMemory: proc<{ dom: WireDomain; memory: bigint }>(30, (w, a) => {
    writeDomain(w, a.dom);
    w.uhyper(a.memory);
  }),
  domainSetMemoryFlags: proc<{ dom: WireDomain; memory: bigint; flags: number }>(204, (w, a) => {
    writeDomain(w, a.dom);
    w.uhyper(a.memory).uint(a.flags);
  }),
  domainSetMemoryParameters: proc<SetParamsArgs>(197, setParamsArgs(MEMORY_PARAMETERS_MAX)),
  domainGetMemoryParameters: proc<GetParamsArgs, GetParamsRet>(198, getParamsArgs, getParamsRet(MEMORY_PARAMETERS_MAX)),
  domainSetBlkioParameters: proc<SetParamsArgs>(205, setParamsArgs(BLKIO_PARAMETERS_MAX)),
  domainGetBlkioParameters: proc<GetParamsArgs, GetParamsRet>(206, getParamsArgs, getParamsRet(BLKIO_PARAMETERS_MAX)),

  domainMemoryStats: proc<{ dom: WireDomain; maxStats: number; flags: number }, { tag: number; val: bigint }[]>(
    159,
    (w, a) => {
      writeDomain(w, a.dom);
      w.uint(a.maxStats).uint(a.flags);
    },
    (r) => r.array(MEMORY_STATS_MAX, (x) => ({ tag: x.int(), val: x.uhyper() })),
  ),
  domainSetMemoryStatsPeriod: proc<{ dom: WireDomain; period: number; flags: number }>(308, (w, a) => {
    writeDomain(w, a.dom);
    w.int(a.period).uint(a.flags);
  }),

  domainGetSchedulerType: proc<WireDomain, { type: string; nparams: number }>(56, writeDomain, (r) => ({ type: r.string(STRING_MAX), nparams: r.int() })),
  // The flagless getter; its Flags twin (223) adds the flags word. Both answer the parameters alone.
  domainGetSchedulerParameters: proc<{ dom: WireDomain; nparams: number }, TypedParameter[]>(
    57,
    (w, a) => {
      writeDomain(w, a.dom);
      w.int(a.nparams);
    },
    (r) => r.array(SCHEDULER_PARAMETERS_MAX, readTypedParam),
  ),
  domainGetSchedulerParametersFlags: proc<{ dom: WireDomain; nparams: number; flags: number }, TypedParameter[]>(
    223,
    (w, a) => {
      writeDomain(w, a.dom);
      w.int(a.nparams).uint(a.flags);
    },
    (r) => r.array(SCHEDULER_PARAMETERS_MAX, readTypedParam),
  ),
  domainSetSchedulerParametersFlags: proc<{ dom: WireDomain; params: readonly TypedParameterInput[]; flags: number }>(219, (w, a) => {
    writeDomain(w, a.dom);
    w.array(a.params, SCHEDULER_PARAMETERS_MAX, writeTypedParam).uint(a.flags);
  }),

  connectDomainEventCallbackRegisterAny: proc<{ eventID: number; dom: WireDomain | undefined }, number>(
    316,
    (w, a) => {
      w.int(a.eventID);
      w.optional(a.dom, writeDomain);
    },
    int,
  ),
  connectDomainEventCallbackDeregisterAny: proc<number>(317, (w, id) => w.int(id)),
} as const;

/** Calls one procedure of the remote program. */
export function invoke<A, R>(client: RpcClient, p: Procedure<A, R>, args: A, options?: CallOptions): Promise<R> {
  const write = p.args;
  return client.call<R>(
    REMOTE_PROGRAM,
    REMOTE_PROTOCOL_VERSION,
    p.proc,
    write ? (w) => write(w, args) : undefined,
    p.ret,
    options,
  );
}

/** Sends one procedure of the remote program without waiting for its answer. */
export function notify<A>(client: RpcClient, p: Procedure<A, unknown>, args: A): void {
  const write = p.args;
  client.notify(REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, p.proc, write ? (w) => write(w, args) : undefined);
}

/** `virDomainEventID` values virtune subscribes to. */
export const DOMAIN_EVENT_ID = { LIFECYCLE: 0, BALLOON_CHANGE: 13, TUNABLE: 17 } as const;

/** `VIR_DRV_FEATURE_*` numbers the client asks the server about. */
export const DRV_FEATURE = { PROGRAM_KEEPALIVE: 10, REMOTE_EVENT_CALLBACK: 14 } as const;

/** `remote_auth_type`. */
export const AUTH_TYPE = { NONE: 0, SASL: 1, POLKIT: 2 } as const;

/** Events the server sends as `MESSAGE`s, by procedure number: how to read each. */
export const REMOTE_EVENTS = {
  318: (r: XdrReader) => ({ kind: 'lifecycle' as const, callbackID: r.int(), dom: readDomain(r), event: r.int(), detail: r.int() }),
  331: (r: XdrReader) => ({ kind: 'balloon-change' as const, callbackID: r.int(), dom: readDomain(r), actual: r.uhyper() }),
  346: (r: XdrReader) => ({
    kind: 'tunable' as const,
    callbackID: r.int(),
    dom: readDomain(r),
    params: r.array(EVENT_TUNABLE_MAX, readTypedParam),
  }),
} as const;
