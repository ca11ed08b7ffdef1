import { readFileSync } from 'node:fs';
import type { HostCgroups } from '../../cgroup/controller.js';
import type { DomainCgroup } from '../../cgroup/domain-cgroup.js';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { DOMAIN_AFFECT_CONFIG, DOMAIN_AFFECT_LIVE } from '../../flags.js';
import { MEMORY_MIN_GUARANTEE, type MemoryParamName } from '../../memory/params.js';
import { parseMemoryParams } from '../../memory/validate.js';
import type { TypedParameterInput } from '../../typed-params/types.js';
import { resolveAffect } from './affect.js';
import type { DomainObject } from './domain-objects.js';
import { MEMORY } from '../../cgroup/controllers.js';

/**
 * The memory parameters of a driver that honours min_guarantee (LXC, QEMU): its cgroup backend's, plus
 * min_guarantee on every cgroup version — admission control everywhere, `memory.min` too on v2.
 */
export function withGuarantee(backendParams: readonly MemoryParamName[]): readonly MemoryParamName[] {
  return backendParams.includes(MEMORY_MIN_GUARANTEE) ? backendParams : [...backendParams, MEMORY_MIN_GUARANTEE];
}

/** A domain's guarantee and how much of it it already uses (0 for one not started yet). */
export interface GuaranteeHolder {
  guaranteeKiB: bigint;
  usageKiB: bigint;
}

/** Where admission looks: the driver's memory controller, its error domain, and the host's free memory. */
export interface AdmissionHost {
  controller: HostCgroups;
  errorDomain: ErrorDomain;
  /** MemAvailable, KiB; default {@link memAvailableKiB}. Replaceable for fault injection. */
  available?: () => bigint;
}

/** MemAvailable from /proc/meminfo, KiB. */
export function memAvailableKiB(meminfo = '/proc/meminfo'): bigint {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync(meminfo, 'utf8'));
  if (!m) throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, `no MemAvailable in ${meminfo}`);
  return BigInt(m[1]!);
}

/**
 * min_guarantee admission control: `name` may hold `candidate.guaranteeKiB` only if the host can still cover
 * every guarantee. Two checks: the guarantees together fit under the parent cgroup's limit; and the part of the
 * guarantees not yet in use (each holder's guarantee minus its usage — a domain not started yet uses nothing)
 * fits in MemAvailable, which already excludes what the running domains use. A zero guarantee is always admitted.
 *
 * @param running the other running domains' guarantees (not the candidate's own).
 * @throws VirError OPERATION_FAILED naming the shortfall.
 */
export function admitGuarantee(
  name: string,
  candidate: GuaranteeHolder,
  running: readonly GuaranteeHolder[],
  host: AdmissionHost,
): void {
  const wanted = candidate.guaranteeKiB;
  if (wanted <= 0n) return;
  const total = running.reduce((sum, r) => sum + r.guaranteeKiB, wanted);
  const parentLimit = host.controller.parentLimitKiB();
  if (total > parentLimit) {
    throw new VirError(
      ErrorCode.OPERATION_FAILED,
      host.errorDomain,
      `cannot guarantee ${wanted} KiB to domain '${name}': guarantees would total ${total} KiB, above the limit of ${parentLimit} KiB of cgroup '${host.controller.parent}'`,
    );
  }
  const unbacked = (h: GuaranteeHolder): bigint => (h.guaranteeKiB > h.usageKiB ? h.guaranteeKiB - h.usageKiB : 0n);
  const pending = running.reduce((sum, r) => sum + unbacked(r), unbacked(candidate));
  const free = (host.available ?? memAvailableKiB)();
  if (pending > free) {
    throw new VirError(
      ErrorCode.OPERATION_FAILED,
      host.errorDomain,
      `cannot guarantee ${wanted} KiB to domain '${name}': ${pending} KiB of guarantees are not yet backed and the host has ${free} KiB available`,
    );
  }
}

/** The running domains of a driver root, each with its memory cgroup. */
export type RunningDomains = ReadonlyMap<DomainObject, { cgroup: DomainCgroup }>;

/**
 * min_guarantee admission for one driver root, checked and reserved under one ledger. A start or a live raise
 * holds its guarantee here from the check until it is committed or has failed, so two calls that await in
 * between (a QEMU launch, a status save) cannot both be admitted against the same free memory.
 */
export class GuaranteeAdmission {
  /** Guarantees admitted but not yet in a live definition: starts in progress and live raises being applied. */
  readonly #pending = new Map<DomainObject, bigint>();

  constructor(
    private readonly host: AdmissionHost,
    private readonly running: RunningDomains,
  ) {}

  /** Every domain's guarantee but `except`'s: the running ones (with what is reserved for them) and starts in progress. */
  #others(except: DomainObject): GuaranteeHolder[] {
    const out: GuaranteeHolder[] = [];
    for (const [o, rt] of this.running) {
      if (o === except) continue;
      const live = o.live?.memtune.minGuarantee ?? 0n;
      const pending = this.#pending.get(o) ?? 0n;
      out.push({
        guaranteeKiB: live > pending ? live : pending,
        usageKiB: rt.cgroup.exists() ? rt.cgroup.tunables(MEMORY).usageKiB() : 0n,
      });
    }
    for (const [o, kib] of this.#pending) if (o !== except && !this.running.has(o)) out.push({ guaranteeKiB: kib, usageKiB: 0n });
    return out;
  }

  /**
   * Runs `task` once `obj`'s guarantee is admitted (see {@link admitGuarantee}), holding it reserved until
   * `task` ends. Called before anything is created, so a refusal leaves nothing behind.
   */
  async start<T>(obj: DomainObject, guaranteeKiB: bigint, task: () => Promise<T>): Promise<T> {
    if (guaranteeKiB <= 0n) return task();
    admitGuarantee(obj.name, { guaranteeKiB, usageKiB: 0n }, this.#others(obj), this.host);
    return this.#reserved(obj, guaranteeKiB, task);
  }

  /**
   * Runs `task` (a live memtune change) once a raise of `obj`'s live guarantee to `requestedKiB` is admitted,
   * the domain's own usage backing part of it. Lowering, leaving it, or no live guarantee in the call
   * (`requestedKiB` undefined) always passes. A refusal happens before `task`, so it changes nothing.
   */
  liveChange<T>(obj: DomainObject, requestedKiB: bigint | undefined, task: () => Promise<T>): Promise<T> {
    const own = this.running.get(obj);
    // Not async: what passes is `task`'s own promise, without two more turns on every live change.
    if (requestedKiB === undefined || !own || requestedKiB <= (obj.live?.memtune.minGuarantee ?? 0n)) return task();
    return this.#admitted(obj, requestedKiB, own.cgroup, task);
  }

  async #admitted<T>(obj: DomainObject, requestedKiB: bigint, cgroup: DomainCgroup, task: () => Promise<T>): Promise<T> {
    const usageKiB = cgroup.exists() ? cgroup.tunables(MEMORY).usageKiB() : 0n;
    admitGuarantee(obj.name, { guaranteeKiB: requestedKiB, usageKiB }, this.#others(obj), this.host);
    return this.#reserved(obj, requestedKiB, task);
  }

  async #reserved<T>(obj: DomainObject, kib: bigint, task: () => Promise<T>): Promise<T> {
    this.#pending.set(obj, kib);
    try {
      return await task();
    } finally {
      this.#pending.delete(obj);
    }
  }
}

/**
 * The live min_guarantee a setMemoryParameters call would set on `obj`; undefined when it sets none live.
 * Input the call itself will refuse (bad flags, bad parameters, LIVE on an inactive domain) is also undefined
 * here, so the call reports its own error in libvirt's order.
 */
export function requestedLiveGuarantee(
  obj: DomainObject,
  params: readonly TypedParameterInput[],
  flags: number,
  supported: readonly MemoryParamName[],
  errorDomain: ErrorDomain,
): bigint | undefined {
  // The common case (no min_guarantee named) costs one scan and no second parse.
  if (!Array.isArray(params) || !params.some((p) => (p as { field?: unknown } | undefined)?.field === MEMORY_MIN_GUARANTEE)) {
    return undefined;
  }
  if ((flags & ~(DOMAIN_AFFECT_LIVE | DOMAIN_AFFECT_CONFIG)) !== 0) return undefined;
  try {
    const kib = parseMemoryParams(params, supported, errorDomain).minGuarantee;
    return kib !== undefined && resolveAffect(obj, flags).live ? kib : undefined;
  } catch {
    return undefined;
  }
}
