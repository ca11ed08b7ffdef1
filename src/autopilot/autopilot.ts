import { EventEmitter } from 'node:events';
import type { Connection } from '../connection/connection.js';
import type { Domain } from '../connection/domain.js';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { asVirError, guardMethods } from '../error-guard.js';
import { CONNECT_LIST_DOMAINS_ACTIVE, DOMAIN_AFFECT_LIVE, DOMAIN_MEMORY_STAT_NAMES } from '../flags.js';
import { TypedParameterType, type TypedParameterInput } from '../typed-params/types.js';
import { readHostView } from './host-view.js';
import { UNLIMITED_KIB, type Decision, type GuestMemo, type GuestView, type HostView, type Policy } from './policy.js';

/** Options of an {@link Autopilot}. */
export interface AutopilotOptions {
  policy: Policy;
  /** Seconds between intervals (default 5). */
  intervalS?: number;
  /** Decide and report, change nothing. */
  dryRun?: boolean;
  /** The stats period set on guests that report none (seconds, default 2); 0 leaves them alone. */
  statsPeriodS?: number;
  /** Where host figures come from (default /proc). */
  host?: () => HostView;
}

/** A decision as it was carried out: every decision is one of these, `hold` included. */
export interface DecisionEvent extends Decision {
  tick: number;
  policy: string;
  /** True when it changed something; false in dry-run mode, for holds and on failure. */
  applied: boolean;
  dryRun: boolean;
  /** Why it failed, when it did. */
  error?: string;
}

/** What one interval saw and did. */
export interface TickReport {
  tick: number;
  host: HostView;
  guests: GuestView[];
  decisions: DecisionEvent[];
}

const ULLONG = TypedParameterType.ULLONG;

/**
 * The autopilot: every interval it reads each running guest of a connection (balloon statistics, cooperation
 * verdict, limits) and the host's memory and pressure, asks its policy what to do, and does it — the balloon
 * through setMemory, the cgroup through setMemoryParameters, both live. Each decision is emitted as `decision`,
 * each interval as `tick`. Nothing it does outlives it but the targets and limits it set.
 *
 * @example
 * ```ts
 * const pilot = new Autopilot(conn, { policy: virtunePolicy(), intervalS: 5, dryRun: true });
 * pilot.on('decision', (d) => console.log(d.name, d.action.kind, d.reason));
 * await pilot.step();
 * ```
 */
export class Autopilot extends EventEmitter<{ decision: [DecisionEvent]; tick: [TickReport] }> {
  readonly #o: Required<Omit<AutopilotOptions, 'host'>> & { host: () => HostView };
  #tick = 0;
  #memo = new Map<string, GuestMemo>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    readonly connection: Connection,
    options: AutopilotOptions,
  ) {
    super();
    try {
      const intervalS = options.intervalS ?? 5;
      if (!(typeof intervalS === 'number' && Number.isFinite(intervalS) && intervalS > 0)) {
        throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `interval must be a positive number of seconds, not ${String(intervalS)}`);
      }
      this.#o = {
        policy: options.policy,
        intervalS,
        dryRun: options.dryRun === true,
        statsPeriodS: options.statsPeriodS ?? 2,
        host: options.host ?? (() => readHostView()),
      };
    } catch (e) {
      throw asVirError(e, 'Autopilot');
    }
  }

  /** One interval: look, decide, act. Resolves with what it saw and did. */
  async step(): Promise<TickReport> {
    const tick = this.#tick++;
    const host = this.#o.host();
    const doms = await this.connection.listAllDomains(CONNECT_LIST_DOMAINS_ACTIVE);
    const seen: { dom: Domain; view: GuestView }[] = [];
    for (const dom of doms) {
      const view = await this.#look(dom).catch(() => undefined);
      if (view) seen.push({ dom, view });
    }
    const guests = seen.map((s) => s.view);
    const out = this.#o.policy.decide({ tick, host, guests, memo: this.#memo });
    this.#memo = out.memo;
    const decisions: DecisionEvent[] = [];
    for (const d of out.decisions) {
      const dom = seen.find((s) => s.view.uuid === d.uuid)?.dom;
      const ev: DecisionEvent = { ...d, tick, policy: this.#o.policy.name, applied: false, dryRun: this.#o.dryRun };
      if (dom && d.action.kind !== 'hold' && !this.#o.dryRun) {
        try {
          await act(dom, d.action);
          ev.applied = true;
        } catch (e) {
          ev.error = e instanceof Error ? e.message : String(e);
        }
      }
      decisions.push(ev);
      this.emit('decision', ev);
    }
    const report = { tick, host, guests, decisions };
    this.emit('tick', report);
    return report;
  }

  /** Runs {@link step} every interval until {@link stop}; a failed interval is reported as an `error` tick-less. */
  start(): void {
    if (this.#timer) return;
    const run = (): void => {
      this.#running = this.step().catch(() => undefined);
      void this.#running.then(() => {
        if (this.#timer) this.#timer = setTimeout(run, this.#o.intervalS * 1000);
      });
    };
    this.#timer = setTimeout(run, 0);
  }

  /** Stops the loop after the interval in progress, if any. */
  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Reads one guest; switches its statistics on if they are off. */
  async #look(dom: Domain): Promise<GuestView> {
    let verdict = await dom.cooperation();
    if (verdict.statsPeriod === 0 && this.#o.statsPeriodS > 0 && verdict.reason !== 'no-balloon') {
      await dom.setMemoryStatsPeriod(this.#o.statsPeriodS, DOMAIN_AFFECT_LIVE).catch(() => undefined);
      verdict = await dom.cooperation();
    }
    const info = await dom.getInfo();
    const stats = new Map<string, bigint>();
    try {
      for (const s of await dom.memoryStats()) stats.set(DOMAIN_MEMORY_STAT_NAMES[s.tag], s.val);
    } catch (e) {
      if (!(e instanceof VirError)) throw e;
    }
    const params = new Map((await dom.getMemoryParameters(DOMAIN_AFFECT_LIVE)).map((p) => [p.field, Number(p.value)]));
    const num = (k: string): number | undefined => (stats.has(k) ? Number(stats.get(k)) : undefined);
    const view: GuestView = {
      name: dom.name,
      uuid: dom.uuid,
      memoryKiB: Number(info.maxMem),
      actualKiB: num('actual') ?? Number(info.memory),
      minGuaranteeKiB: params.get('min_guarantee') ?? 0,
      softLimitKiB: params.get('soft_limit') ?? UNLIMITED_KIB,
      hardLimitKiB: params.get('hard_limit') ?? UNLIMITED_KIB,
      verdict,
    };
    for (const [key, name] of [['availableKiB', 'available'], ['usableKiB', 'usable'], ['unusedKiB', 'unused'], ['rssKiB', 'rss']] as const) {
      const v = num(name);
      if (v !== undefined) view[key] = v;
    }
    return view;
  }
}

/** Carries out one action on a running guest, live. */
async function act(dom: Domain, action: Decision['action']): Promise<void> {
  const param = (field: string, kib: number): TypedParameterInput => ({ field, type: ULLONG, value: BigInt(kib) });
  switch (action.kind) {
    case 'balloon':
      return dom.setMemory(action.targetKiB, DOMAIN_AFFECT_LIVE);
    case 'soft-limit':
      return dom.setMemoryParameters([param('soft_limit', action.kib)], DOMAIN_AFFECT_LIVE);
    case 'hard-limit':
      return dom.setMemoryParameters([param('hard_limit', action.kib)], DOMAIN_AFFECT_LIVE);
    case 'release-limits':
      return dom.setMemoryParameters([param('hard_limit', action.hardLimitKiB), param('soft_limit', action.softLimitKiB)], DOMAIN_AFFECT_LIVE);
    case 'hold':
      return;
  }
}

// Whatever a method is given, it returns or throws a VirError.
guardMethods(Autopilot.prototype);
