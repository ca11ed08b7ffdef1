import { openConnection, type Connection } from '../connection/connection.js';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { invalidArgument, readList } from '../error-guard.js';

/** Most hosts one call works on. */
const MAX_HOSTS = 100_000;
import type { TypedParameter, TypedParameterInput } from '../typed-params/types.js';

/** One domain on one host: the connection URI and the domain's name. */
export interface HostTarget {
  uri: string;
  domain: string;
}

export interface AcrossHostsOptions {
  /** How many hosts are worked on at once. Default 8. */
  concurrency?: number;
  /** Reaching a host and opening the connection, ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Each call on an open connection, ms. Default 10 000. */
  callTimeoutMs?: number;
  /** DOMAIN_AFFECT_* flags for the set and the read-back. Default 0 (current). */
  flags?: number;
}

/** What happened on one host: the parameters read back after the change, or the error, and how long it took. */
export type HostResult =
  | { target: HostTarget; ok: true; params: TypedParameter[]; elapsedMs: number }
  | { target: HostTarget; ok: false; error: VirError; elapsedMs: number };

/** Adds virtune's deadlines to a remote URI unless it names its own (local URIs are left alone). */
function withDeadlines(uri: string, connectMs: number, callMs: number): string {
  const m = /^[A-Za-z][A-Za-z0-9.-]*(\+[A-Za-z0-9.-]+)?:\/\/([^/?#]*)/.exec(uri);
  if (!m || (m[1] === undefined && m[2] === '')) return uri;
  const extra = [
    ...(/[?&]connect_timeout=/.test(uri) ? [] : [`connect_timeout=${connectMs}`]),
    ...(/[?&]call_timeout=/.test(uri) ? [] : [`call_timeout=${callMs}`]),
  ];
  if (extra.length === 0) return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}${extra.join('&')}`;
}

/** Rejects with OPERATION_TIMEOUT when `p` has not settled within `ms`; the timer never outlives the race. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VirError(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.NONE, `${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function applyOne(
  target: HostTarget,
  params: readonly TypedParameterInput[],
  o: Required<AcrossHostsOptions>,
): Promise<HostResult> {
  const t0 = performance.now();
  const opening = openConnection(withDeadlines(target.uri, o.connectTimeoutMs, o.callTimeoutMs));
  let conn: Connection | undefined;
  try {
    // The URI's own deadlines bound a remote host; this bounds any driver, and a connection that opens after it
    // passed is closed below rather than left behind.
    conn = await within(opening, o.connectTimeoutMs + 1000, `connecting to ${target.uri}`);
    const c = conn;
    const read = await within(
      (async () => {
        const dom = await c.lookupDomainByName(target.domain);
        await dom.setMemoryParameters(params, o.flags);
        return dom.getMemoryParameters(o.flags);
      })(),
      3 * o.callTimeoutMs + 1000,
      `memtune on ${target.uri}`,
    );
    return { target, ok: true, params: read, elapsedMs: performance.now() - t0 };
  } catch (e) {
    if (conn === undefined) opening.then((late) => late.close()).catch(() => {});
    const error = e instanceof VirError ? e : new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, String(e), { cause: e });
    return { target, ok: false, error, elapsedMs: performance.now() - t0 };
  } finally {
    await conn?.close().catch(() => {});
  }
}

/**
 * Applies one memtune change (virDomainSetMemoryParameters) to a domain on each of many hosts, at most
 * `concurrency` at a time, and reads the parameters back on each. Every host gets its own result, success or
 * {@link VirError}, in the order of `targets`; it never throws for a host's failure. Connect and call deadlines
 * bound each host, so a host that is down, or accepts and never answers, costs at most its deadlines and never
 * holds up the others beyond its own slot.
 *
 * @example
 * ```ts
 * const results = await applyMemoryParametersAcrossHosts(
 *   [{ uri: 'qemu+ssh://h1/system', domain: 'web' }, { uri: 'qemu+tcp://h2/system', domain: 'web' }],
 *   [{ field: 'hard_limit', type: TypedParameterType.ULLONG, value: 4194304 }],
 *   { concurrency: 16, connectTimeoutMs: 3000 },
 * );
 * for (const r of results) console.log(r.target.uri, r.ok ? 'ok' : r.error.message);
 * ```
 */
export async function applyMemoryParametersAcrossHosts(
  targetList: readonly HostTarget[],
  params: readonly TypedParameterInput[],
  options: AcrossHostsOptions = {},
): Promise<HostResult[]> {
  // A fleet is read once and bounded (far above any real one): a sparse array of length 2^32 - 1 is refused.
  const targets = readList(targetList, 'hosts', invalidArgument, ErrorDomain.NONE, MAX_HOSTS) as HostTarget[];
  const concurrency: unknown = options.concurrency ?? 8;
  if (typeof concurrency !== 'number' || !(concurrency >= 1)) throw invalidArgument('concurrency must be a number of at least 1');
  const o: Required<AcrossHostsOptions> = {
    concurrency: Math.floor(Math.min(concurrency, MAX_HOSTS)),
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    flags: options.flags ?? 0,
  };
  const results: HostResult[] = new Array(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      results[i] = await applyOne(targets[i]!, params, o);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, targets.length) }, worker));
  return results;
}
