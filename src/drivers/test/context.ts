import { ErrorDomain } from '../../errors.js';
import type { DomainEventSink } from '../../events.js';
import { MEMORY_PARAM_NAMES, type MemoryParamName } from '../../memory/params.js';
import type { DomainObjectList } from '../common/domain-objects.js';

/** One connection's test driver: its own domains and where its events go. */
export interface TestDriverContext {
  readonly domains: DomainObjectList;
  readonly emit: DomainEventSink;
}

/** Errors the test driver raises itself come from libvirt's VIR_FROM_TEST. */
export const TEST_ERROR_DOMAIN = ErrorDomain.TEST;

/**
 * libvirt's test driver accepts hard_limit, soft_limit and swap_hard_limit; virtune's also stores min_guarantee
 * and swap_soft_limit so code that uses them can be unit-tested.
 */
export const TEST_MEMORY_PARAMS: readonly MemoryParamName[] = MEMORY_PARAM_NAMES;
