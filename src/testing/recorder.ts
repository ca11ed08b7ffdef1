import type { DomainRef, HypervisorDriver } from '../driver.js';
import { ENTRY_POINTS, type DriverEntry } from '../entry-points.js';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { FaultAction, FaultBook } from './faults.js';

/** One call the mock driver saw, as it reached the driver table (after the connection's public checks). */
export interface MockCall {
  /** Its place among every call of the mock, from 1. */
  seq: number;
  /** The driver entry (`domainSetMemoryParameters`), and which call of that entry it was, from 1. */
  entry: DriverEntry;
  nth: number;
  /** libvirt's public function (`virDomainSetMemoryParameters`). */
  publicName: string;
  /** The arguments as the driver got them (a domain as its {@link DomainRef}). */
  args: readonly unknown[];
  /** The domain's name, for entries on a domain. */
  domain?: string;
  /** The flags argument, for entries that take one. */
  flags?: number;
  /** How it ended: the value returned, or the error raised; `pending` while it runs. */
  outcome: 'pending' | 'returned' | 'failed';
  result?: unknown;
  error?: unknown;
}

/**
 * Where each entry's flags are among its arguments; undefined for entries without flags. A `Record` over every
 * entry, so an entry added to the table does not compile until it says.
 */
const FLAGS_AT: Readonly<Record<DriverEntry, number | undefined>> = {
  close: undefined,
  getVersion: undefined,
  getHostname: undefined,
  subscribeEvents: undefined,
  lookupDomainByName: undefined,
  lookupDomainByUUID: undefined,
  lookupDomainByID: undefined,
  listAllDomains: 0,
  defineDomainXML: 1,
  createDomainXML: 1,
  domainCreate: 1,
  domainDestroy: 1,
  domainShutdown: 1,
  domainUndefine: 1,
  domainGetXMLDesc: 1,
  domainGetInfo: undefined,
  domainGetState: 1,
  domainIsActive: undefined,
  domainIsPersistent: undefined,
  domainSetMemoryFlags: 2,
  domainSetMemoryParameters: 2,
  domainGetMemoryParameters: 1,
  domainGetMemoryParameterCount: 1,
  domainReclaimMemory: undefined,
  domainMemoryStats: 1,
  domainSetMemoryStatsPeriod: 2,
  domainGetCooperation: undefined,
  domainGetSchedulerType: undefined,
  domainGetSchedulerParameters: 1,
  domainSetSchedulerParameters: 2,
  domainSetBlkioParameters: 2,
  domainGetBlkioParameters: 1,
};

/** What the recorder needs from its mock: the log, the faults, and whether it is still open. */
export interface RecorderHost {
  readonly calls: MockCall[];
  readonly faults: FaultBook;
  /** The calls of each entry so far. */
  readonly counts: Map<DriverEntry, number>;
  /** Aborted when the mock closes: a call held by a fault then fails instead of waiting on. */
  readonly closed: AbortSignal;
}

function isDomainRef(v: unknown): v is DomainRef {
  return typeof v === 'object' && v !== null && typeof (v as DomainRef).uuid === 'string' && typeof (v as DomainRef).name === 'string';
}

/** Waits `ms`, or until `signal` aborts (then rejects with `reason`). */
function wait(ms: number | undefined, signal: AbortSignal, reason: () => VirError): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(reason());
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    function done(): void {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      if (timer !== undefined) clearTimeout(timer);
      reject(reason());
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** libvirt's word for a call given up on: OPERATION_ABORTED. */
function aborted(entry: DriverEntry, why: string): VirError {
  return new VirError(ErrorCode.OPERATION_ABORTED, ErrorDomain.TEST, `${ENTRY_POINTS[entry].publicName}: ${why}`);
}

/** Applies the faults a call hits, in order: delays wait, a hang waits for its signal, a failure throws. */
async function applyFaults(entry: DriverEntry, actions: readonly FaultAction[], closed: AbortSignal): Promise<void> {
  const gone = () => aborted(entry, 'the mock driver was closed');
  for (const a of actions) {
    if (a.kind === 'delay') await wait(a.ms, closed, gone);
    else if (a.kind === 'hang') {
      const both = AbortSignal.any([a.signal, closed]);
      await wait(undefined, both, () => (closed.aborted ? gone() : aborted(entry, 'the call was held until its signal fired')));
    }
  }
  const fail = actions.find((a) => a.kind === 'fail');
  if (fail?.kind === 'fail') throw fail.error;
}

/**
 * A driver table over `base` with every entry `base` has wrapped by the recorder: each call is logged (entry,
 * arguments, flags, outcome, in order), its faults are applied before `base` sees it, and `base` answers
 * otherwise. The entries come from the table of entry points (src/entry-points.ts), so a new entry is recorded
 * without a change here; an entry `base` lacks stays missing, and the connection answers NO_SUPPORT for it.
 */
export function recordingDriver(base: HypervisorDriver, host: RecorderHost): HypervisorDriver {
  const out: Record<string, unknown> = { type: base.type };
  for (const entry of Object.keys(ENTRY_POINTS) as DriverEntry[]) {
    const fn = base[entry] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    if (typeof fn !== 'function' || entry === 'close') continue;
    out[entry] = async (...args: unknown[]): Promise<unknown> => {
      if (host.closed.aborted) throw new VirError(ErrorCode.INVALID_CONN, ErrorDomain.TEST, 'the mock driver is closed');
      const nth = (host.counts.get(entry) ?? 0) + 1;
      host.counts.set(entry, nth);
      const flagsAt = FLAGS_AT[entry];
      const call: MockCall = {
        seq: host.calls.length + 1,
        entry,
        nth,
        publicName: ENTRY_POINTS[entry].publicName,
        args,
        ...(isDomainRef(args[0]) ? { domain: args[0].name } : {}),
        ...(flagsAt !== undefined && typeof args[flagsAt] === 'number' ? { flags: args[flagsAt] as number } : {}),
        outcome: 'pending',
      };
      host.calls.push(call);
      try {
        await applyFaults(entry, host.faults.take(entry, nth), host.closed);
        const result = await fn.apply(base, args);
        Object.assign(call, { outcome: 'returned', result });
        return result;
      } catch (error) {
        Object.assign(call, { outcome: 'failed', error });
        throw error;
      }
    };
  }
  return out as unknown as HypervisorDriver;
}
