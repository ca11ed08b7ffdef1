import { TypedParameterType, type TypedParameterSpec } from '../typed-params/types.js';
import { snapshotList } from '../typed-params/validate.js';
import type { MemTune } from '../xml/domain-def.js';

/** libvirt's VIR_DOMAIN_MEMORY_HARD_LIMIT: the most memory the domain may use, KiB. */
export const MEMORY_HARD_LIMIT = 'hard_limit';
/** libvirt's VIR_DOMAIN_MEMORY_SOFT_LIMIT: the limit enforced under host memory pressure, KiB. */
export const MEMORY_SOFT_LIMIT = 'soft_limit';
/** libvirt's VIR_DOMAIN_MEMORY_MIN_GUARANTEE: memory the domain is guaranteed, KiB. */
export const MEMORY_MIN_GUARANTEE = 'min_guarantee';
/** libvirt's VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT: memory plus swap the domain may use, KiB. */
export const MEMORY_SWAP_HARD_LIMIT = 'swap_hard_limit';
/** virtune's extension (the RFC's "SwapSoftLimits"): memory plus swap above which swap use is throttled, KiB. */
export const MEMORY_SWAP_SOFT_LIMIT = 'swap_soft_limit';

/**
 * "No limit": libvirt's VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, 2^53-1 KiB. Like every memory amount virtune returns
 * (memtune fields, typed-parameter values, domain info) it is a `bigint`, so `value === UNLIMITED` type-checks and
 * works.
 */
export const UNLIMITED = 9007199254740991n;
/** The same as {@link UNLIMITED} (libvirt's name). @deprecated one name per thing: use `UNLIMITED`. */
export const MEMORY_PARAM_UNLIMITED = UNLIMITED;

/** Every memory tunable virtune knows, in libvirt's output order (then our extension). */
export const MEMORY_PARAM_NAMES = [
  MEMORY_HARD_LIMIT,
  MEMORY_SOFT_LIMIT,
  MEMORY_MIN_GUARANTEE,
  MEMORY_SWAP_HARD_LIMIT,
  MEMORY_SWAP_SOFT_LIMIT,
] as const;
export type MemoryParamName = (typeof MEMORY_PARAM_NAMES)[number];

/** libvirt's three memtune parameters, in the order libvirt reports them (cgroup v1 has exactly these). */
export const LIBVIRT_MEMTUNE_PARAMS: readonly MemoryParamName[] = [
  MEMORY_HARD_LIMIT,
  MEMORY_SOFT_LIMIT,
  MEMORY_SWAP_HARD_LIMIT,
];
/** The ones virtune adds to libvirt's reports when a driver supports them, in this order. */
export const EXTRA_MEMTUNE_PARAMS: readonly MemoryParamName[] = [MEMORY_MIN_GUARANTEE, MEMORY_SWAP_SOFT_LIMIT];

/** Specs already built, by the list of names they were built from (drivers pass one constant list each). */
const specs = new WeakMap<readonly MemoryParamName[], TypedParameterSpec>();

/**
 * All memory tunables are ULLONG KiB. A driver's spec is this, narrowed to what it supports. The spec is built
 * once per list of names (it is frozen and shared): every setMemoryParameters call asks for it.
 */
export function memoryParamSpec(names: readonly MemoryParamName[]): TypedParameterSpec {
  let spec = specs.get(names);
  if (!spec) {
    // Read once, bounded: a caller's list may be anything.
    spec = Object.freeze(Object.fromEntries(snapshotList(names).map((n) => [String(n), TypedParameterType.ULLONG])));
    specs.set(names, spec);
  }
  return spec;
}

/** The MemTune field each parameter name sets. */
export const MEMTUNE_FIELD: Readonly<Record<MemoryParamName, keyof MemTune>> = {
  [MEMORY_HARD_LIMIT]: 'hardLimit',
  [MEMORY_SOFT_LIMIT]: 'softLimit',
  [MEMORY_MIN_GUARANTEE]: 'minGuarantee',
  [MEMORY_SWAP_HARD_LIMIT]: 'swapHardLimit',
  [MEMORY_SWAP_SOFT_LIMIT]: 'swapSoftLimit',
};

/** A memtune with nothing set: limits UNLIMITED, guarantee 0. */
export function emptyMemTune(): MemTune {
  return {
    hardLimit: UNLIMITED,
    softLimit: UNLIMITED,
    minGuarantee: 0n,
    swapHardLimit: UNLIMITED,
    swapSoftLimit: UNLIMITED,
  };
}
