import { Connection, type OpenOptions } from '../connection/connection.js';
import { registerDriver } from '../connection/registry.js';
import { parseURI } from '../connection/uri.js';
import type { DriverFactory, HypervisorDriver } from '../driver.js';
import { defaultDomainDef } from '../drivers/test/default-domain-def.js';
import { applyTestDefaults } from '../drivers/test/defaults.js';
import { populate, type FileDomain } from '../drivers/test/load.js';
import { createTestDriver } from '../drivers/test/test-driver.js';
import type { DriverEntry } from '../entry-points.js';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { guardMethods, invalidArgument, readList } from '../error-guard.js';
import type { DomainEvent } from '../events.js';
import { DomainState } from '../flags.js';
import { cloneDomainDef } from '../xml/clone.js';
import type { DomainDef } from '../xml/domain-def.js';
import { FaultBook, faultError, type FaultWhen } from './faults.js';
import { recordingDriver, type MockCall } from './recorder.js';

/** The domains a mock starts with: definitions, or XML (one `<domain>`, or a test-driver `<node>` document). */
export type MockDomains = string | DomainDef | ReadonlyArray<string | DomainDef>;

/** Options of {@link createMockDriver}. */
export interface MockDriverOptions {
  /**
   * The domains it holds, each running (ids 1, 2, ... in order) unless a `<node>` document's `<test:runstate>`
   * says otherwise. Default: test:///default's one running domain `test`. No file is read or written.
   */
  domains?: MockDomains;
}

/** The URI scheme mock drivers answer on: `mock:///N` while mock N is open. */
const SCHEME = 'mock';
const live = new Map<string, MockDriver>();
let nextId = 1;
let registered = false;

/** The one `mock` factory, registered the first time a mock is made: it only routes to mocks that are open. */
const factory: DriverFactory = {
  schemes: [SCHEME],
  async open(uri, options) {
    const mock = live.get(uri.path.replace(/^\//, ''));
    if (!mock) throw new VirError(ErrorCode.NO_CONNECT, ErrorDomain.NONE, `${uri.text}: no such mock driver (closed?)`);
    return mock.attach(options.emit);
  },
};

async function fileDomains(domains: MockDomains | undefined): Promise<FileDomain[]> {
  if (domains === undefined) return [{ def: defaultDomainDef(), state: DomainState.RUNNING, transient: false }];
  const list = typeof domains === 'string' || !Array.isArray(domains) ? [domains as string | DomainDef] : (readList(domains, 'domains', invalidArgument) as Array<string | DomainDef>);
  const out: FileDomain[] = [];
  for (const d of list) {
    if (typeof d === 'string') {
      // XML needs the parser (and libxmljs2): loaded only for mocks given XML.
      const { readDomainsFromText } = await import('../drivers/test/load-file.js');
      out.push(...(await readDomainsFromText(d)));
    } else {
      out.push({ def: applyTestDefaults(cloneDomainDef(d)), state: DomainState.RUNNING, transient: false });
    }
  }
  return out;
}

/**
 * A driver for the tests of code that uses virtune: libvirt's test driver (stateful, in memory) behind a recorder
 * that logs every call and injects faults on cue. Make one per test with {@link createMockDriver}; nothing it
 * does outlives {@link MockDriver.close}, and no other driver is touched.
 */
export class MockDriver {
  /** Every call so far, in order. */
  readonly calls: MockCall[] = [];
  readonly #faults = new FaultBook();
  readonly #counts = new Map<DriverEntry, number>();
  readonly #closing = new AbortController();
  readonly #sinks = new Set<(e: DomainEvent) => void>();
  readonly #connections = new Set<Connection>();
  readonly #driver: HypervisorDriver;

  /** @internal made by {@link createMockDriver}. */
  constructor(
    /** The URI that opens this mock with `openConnection`, while it is open (`mock:///1`). */
    readonly uri: string,
    domains: FileDomain[],
  ) {
    const base = createTestDriver(populate(domains), (e) => {
      for (const sink of this.#sinks) sink(e);
    });
    this.#driver = recordingDriver(base, { calls: this.calls, faults: this.#faults, counts: this.#counts, closed: this.#closing.signal });
  }

  /** @internal A driver table for one more connection: the shared state, with its own event sink. */
  attach(emit: (e: DomainEvent) => void): HypervisorDriver {
    if (this.#closing.signal.aborted) throw new VirError(ErrorCode.NO_CONNECT, ErrorDomain.NONE, `${this.uri}: the mock driver is closed`);
    this.#sinks.add(emit);
    return { ...this.#driver, close: async () => void this.#sinks.delete(emit) };
  }

  /**
   * A connection to this mock, as `openConnection(mock.uri, options)` gives: all of a mock's connections see one
   * state. Closed with the mock.
   */
  async connect(options: OpenOptions = {}): Promise<Connection> {
    let conn: Connection | undefined;
    const driver = this.attach((e) => conn?.emit('event', e));
    conn = Connection.fromDriver(parseURI(this.uri), options.readOnly === true, driver);
    this.#connections.add(conn);
    return conn;
  }

  /** The calls of one entry (`'domainSetMemoryParameters'`), in order. */
  callsOf(entry: DriverEntry): MockCall[] {
    return this.calls.filter((c) => c.entry === entry);
  }

  /**
   * Makes calls of `entry` fail with `error` — a VirError, or an ErrorCode for libvirt's error of that code —
   * before the test driver sees them, so they change nothing. `when`: `{ call: 2 }` the 2nd call only,
   * `{ times: 3 }` the next 3, nothing: every call.
   */
  fail(entry: DriverEntry, error: VirError | ErrorCode, when: FaultWhen = {}): this {
    this.#faults.add({ entry, action: { kind: 'fail', error: faultError(error) }, ...when });
    return this;
  }

  /** Holds calls of `entry` for `ms` milliseconds before they go on (`when` as in {@link fail}). */
  delay(entry: DriverEntry, ms: number, when: FaultWhen = {}): this {
    if (!Number.isFinite(ms) || ms < 0) throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `delay must be a non-negative number of ms, not ${ms}`);
    this.#faults.add({ entry, action: { kind: 'delay', ms }, ...when });
    return this;
  }

  /**
   * Calls of `entry` never answer until `signal` aborts; then they fail with OPERATION_ABORTED (`when` as in
   * {@link fail}). Closing the mock fails them too, so a forgotten signal cannot hang a test.
   */
  hang(entry: DriverEntry, signal: AbortSignal, when: FaultWhen = {}): this {
    this.#faults.add({ entry, action: { kind: 'hang', signal }, ...when });
    return this;
  }

  /** Removes the faults of `entry`, or all of them. */
  clearFaults(entry?: DriverEntry): this {
    this.#faults.clear(entry);
    return this;
  }

  /** Closes its connections, fails every call still held, and frees its URI. Idempotent. */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    live.delete(this.uri.slice(`${SCHEME}:///`.length));
    for (const c of this.#connections) await c.close();
    this.#sinks.clear();
  }
}

// Whatever a method is given, it returns or throws a VirError (methods added later included).
guardMethods(MockDriver.prototype);

/**
 * A fresh mock driver for one test: libvirt's test driver with `options.domains`, every call recorded, faults
 * on cue. Reach it through {@link MockDriver.connect}, or give {@link MockDriver.uri} to code that calls
 * `openConnection` itself. Close it after the test.
 *
 * @example
 * ```ts
 * const mock = await createMockDriver();
 * mock.fail('domainSetMemoryParameters', ErrorCode.OPERATION_FAILED, { call: 2 });
 * const conn = await openConnection(mock.uri);
 * ```
 */
export async function createMockDriver(options: MockDriverOptions = {}): Promise<MockDriver> {
  if (!registered) {
    // Registered once, never over another driver: a `mock` scheme someone else registered is refused here.
    registerDriver([SCHEME], factory);
    registered = true;
  }
  const id = String(nextId++);
  const mock = new MockDriver(`${SCHEME}:///${id}`, await fileDomains(options.domains));
  live.set(id, mock);
  return mock;
}
