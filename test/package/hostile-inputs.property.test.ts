// Cross-cutting suite (test/package/): every public entry point of every subpath in package.json's exports, given
// hostile input — wrong types, throwing getters and Proxies, values that change between reads, frozen and
// prototype-less objects, bigint where a number belongs, huge arrays — returns, or throws a VirError with one of
// libvirt's codes and domains. Nothing else may escape (a TypeError, the caller's own RangeError), and no call may
// hang. The functions and classes are read from the exports map, so a new export is covered without a word here.
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Connection, Domain, ErrorCode, ErrorDomain, ParamTable, TypedParameterType, VirError, openConnection } from '../../src/index.js';
import { CimError, CimProtocolError, CimProvider } from '../../src/cim/index.js';
import { Autopilot, momPolicy } from '../../src/autopilot/index.js';
import { MockDriver, createMockDriver } from '../../src/testing/index.js';
import { KNOWN_CRASHERS, hostileArgs, type HostileArg } from './hostile-values.js';
import { internalMembers } from './internal-members.js';
import { isClass, publicExports } from './public-surface.js';
import { FuzzTally, fuzzRuns } from '../helpers/fuzz.js';

/** Runs per function or method: a CI-sized slice in `npm test`, more under `npm run fuzz`. */
const RUNS = fuzzRuns(25, 300);
/** The most one call may take, in ms (a hang fails the case that hung, named). */
const DEADLINE_MS = 10_000;

const CODES = new Set(Object.values(ErrorCode).filter((v) => typeof v === 'number'));
const DOMAINS = new Set(Object.values(ErrorDomain).filter((v) => typeof v === 'number'));

/** Functions whose job is to answer for any value at all (there is nothing they could refuse). */
const TOTAL_FUNCTIONS = new Set(['isVirError']);

/** What a call may leave behind that must not outlive the case: servers, connections, timers. */
async function dispose(result: unknown): Promise<void> {
  if (result === null || typeof result !== 'object') return;
  for (const m of ['stop', 'close']) {
    const f = (result as Record<string, unknown>)[m];
    if (typeof f === 'function') await Promise.resolve().then(() => f.call(result)).catch(() => undefined);
  }
}

/**
 * The errors a subpath documents besides VirError: virtune/cim answers in CIM's own error model (DSP0200), so its
 * CimError and CimProtocolError may come out of it too.
 */
const OWN_ERRORS: Record<string, (e: unknown) => boolean> = {
  './cim': (e) => e instanceof CimError || e instanceof CimProtocolError,
};
const none = (): boolean => false;

/** Runs `call`; fails the property unless it returns or throws a VirError of libvirt's codes within the deadline. */
async function mustAnswer(what: string, call: () => unknown, ownError: (e: unknown) => boolean = none): Promise<void> {
  tally.case();
  // A call that never returns (a loop) cannot be timed out from the same thread: the trace names it.
  if (process.env.VIRTUNE_HOSTILE_TRACE) appendFileSync(process.env.VIRTUNE_HOSTILE_TRACE, `${what}\n`);
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    let result = call();
    // Only a promise of ours is awaited: a function may hand back the caller's own object, a hostile thenable.
    if (result instanceof Promise) {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${DEADLINE_MS} ms`)), DEADLINE_MS);
      });
      result = await Promise.race([result, deadline]);
    }
    await dispose(result);
  } catch (e) {
    if (ownError(e)) return;
    if (!(e instanceof VirError)) {
      throw new Error(`${what} threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(typeof e)}`, { cause: e });
    }
    if (!CODES.has(e.code) || !DOMAINS.has(e.domain)) throw new Error(`${what}: VirError with code ${e.code}, domain ${e.domain}`);
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - t0;
  if (ms > DEADLINE_MS) throw new Error(`${what}: took ${Math.round(ms)} ms (deadline ${DEADLINE_MS} ms)`);
}

/** Tried before the generated cases, every run: the inputs known to end a Node process outright. */
const CRASHERS_FIRST = { examples: KNOWN_CRASHERS.map((args): [HostileArg[]] => [args]) };

const show = (args: HostileArg[]): string => `(${args.map((a) => a.describe).join(', ')})`;

const exported = await publicExports();
const functions = exported.filter((e) => typeof e.value === 'function' && !isClass(e.value) && !TOTAL_FUNCTIONS.has(e.name));
const classes = exported.filter((e) => isClass(e.value));

const tally = new FuzzTally('hostile inputs to every export');
const opened: Array<{ close(): unknown }> = [];
afterAll(async () => {
  tally.report();
  for (const c of opened) await Promise.resolve().then(() => c.close()).catch(() => undefined);
});

/** A live instance of each exported class, to call its public methods on; a new class needs one here. */
const INSTANCES: Record<string, () => Promise<object>> = {
  Connection: async () => {
    const c = await openConnection('test:///default');
    opened.push(c);
    return c;
  },
  Domain: async () => {
    const c = await openConnection('test:///default');
    opened.push(c);
    return c.lookupDomainByName('test');
  },
  MockDriver: async () => {
    const m = await createMockDriver();
    opened.push(m as unknown as { close(): unknown });
    return m;
  },
  CimProvider: async () => {
    const c = await openConnection('test:///default');
    opened.push(c);
    return new CimProvider(c, { readWrite: true });
  },
  Autopilot: async () => {
    const c = await openConnection('test:///default');
    opened.push(c);
    return new Autopilot(c, { policy: momPolicy(), dryRun: true });
  },
  VirError: async () => new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, 'x'),
  ParamTable: async () => new ParamTable([{ name: 'weight', type: TypedParameterType.UINT, field: 'weight' }]),
};
/** Errors a caller catches, not entry points: constructing them is the caller's own business. */
const NOT_ENTRY_POINTS = new Set(['CimError', 'CimProtocolError']);

/** The public methods of `obj`'s class chain (not Object's, EventEmitter's or Error's), minus @internal ones. */
function publicMethods(className: string, obj: object): string[] {
  const internal = internalMembers().get(className) ?? new Set();
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(obj) as object | null; p && p !== Object.prototype && p !== Error.prototype; p = Object.getPrototypeOf(p) as object | null) {
    if (p.constructor?.name === 'EventEmitter') break;
    for (const n of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, n);
      if (n !== 'constructor' && typeof d?.value === 'function' && !internal.has(n)) names.add(n);
    }
  }
  return [...names];
}

describe('every exported function, given hostile arguments, returns or throws a VirError', () => {
  it('finds the exports through package.json', () => {
    expect(functions.length).toBeGreaterThan(40);
    expect(new Set(exported.map((e) => e.subpath))).toEqual(new Set(['.', './cim', './testing']));
  });
  it.each(functions.map((f) => [`${f.subpath} ${f.name}`, f] as const))('%s', async (_, f) => {
    const fn = f.value as (...a: unknown[]) => unknown;
    await fc.assert(
      fc.asyncProperty(hostileArgs, async (args) => mustAnswer(`${f.name}${show(args)}`, () => fn(...args.map((a) => a.make())), OWN_ERRORS[f.subpath])),
      { numRuns: RUNS, ...CRASHERS_FIRST },
    );
  });
});

describe('every exported class, constructed and called with hostile arguments, returns or throws a VirError', () => {
  it.each(classes.filter((c) => !NOT_ENTRY_POINTS.has(c.name)).map((c) => [`${c.subpath} ${c.name}`, c] as const))('%s', async (_, c) => {
    const Ctor = c.value as new (...a: unknown[]) => object;
    if (!internalMembers().get(c.name)?.has('constructor')) {
      await fc.assert(
        fc.asyncProperty(hostileArgs, async (args) => mustAnswer(`new ${c.name}${show(args)}`, () => new Ctor(...args.map((a) => a.make())), OWN_ERRORS[c.subpath])),
        { numRuns: RUNS, ...CRASHERS_FIRST },
      );
    }
    const make = INSTANCES[c.name];
    expect(make, `no instance of ${c.name} to call its methods on: add one to INSTANCES`).toBeDefined();
    const sample = await make!();
    for (const m of publicMethods(c.name, sample)) {
      await fc.assert(
        fc.asyncProperty(hostileArgs, async (args) => {
          const obj = await make!();
          await mustAnswer(`${c.name}.${m}${show(args)}`, () => (obj as Record<string, (...a: unknown[]) => unknown>)[m]!(...args.map((a) => a.make())), OWN_ERRORS[c.subpath]);
        }),
        { numRuns: RUNS, ...CRASHERS_FIRST },
      );
    }
  });
});

// The classes that make sense only as results (a Connection, a Domain, a MockDriver) are found here too.
void Connection;
void Domain;
void MockDriver;
