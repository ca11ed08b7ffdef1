import { MEMORY_TUNABLES } from './memory-family.js';
import type { TunableFamily } from './tunable-family.js';

/**
 * Every tunable family a cgroup-backed driver manages, in the order a start writes them into a new domain
 * cgroup (each only where the cgroup spans its controller). A new family is added here once it has its
 * {@link TunableFamily} object.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TUNABLE_FAMILIES: readonly TunableFamily<any>[] = [MEMORY_TUNABLES];
