import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { invalidArgument, readList } from '../../error-guard.js';
import type { HypervisorDriver } from '../../driver.js';
import { entriesOf, publicName, TUNABLE_ENTRY_FAMILIES, type EntryFamily } from '../../entry-points.js';
import type { DomainEventSink } from '../../events.js';
import type { VirURI } from '../../connection/uri.js';
import { DomainObjectList } from '../common/domain-objects.js';
import { createTestDriver } from '../test/test-driver.js';

/** Reasons a host cannot tune memory; the factories of the real drivers pass one of these or their own text. */
export const UnsupportedReason = {
  NO_MEMORY_CGROUP: 'the host has no memory cgroup controller',
  /** The scheduler family's: no cpu controller (cpu.shares, CFS bandwidth). */
  NO_CPU_CGROUP: 'the host has no cpu cgroup controller',
  /** Neither cgroup v1's blkio controller nor v2's io controller. */
  NO_BLKIO_CGROUP: 'the host has no blkio cgroup controller',
  NOT_LINUX: `memory cgroups need Linux; this host runs ${process.platform}`,
  EXPLICIT: 'the unsupported:/// driver was selected',
} as const;

/** NO_SUPPORT naming the function and what the host lacks. */
export function unsupportedError(fn: string, reason: string): VirError {
  return new VirError(ErrorCode.NO_SUPPORT, ErrorDomain.DOMAIN, `${fn}: ${reason}`);
}

/**
 * `driver` with every entry of the tunable `families` answering NO_SUPPORT that names `reason`; everything else is
 * kept. The entries come from the table of entry points, so a new family needs no change here.
 */
export function withoutTuning(driver: HypervisorDriver, families: readonly EntryFamily[], reason: string): HypervisorDriver {
  const out: HypervisorDriver = { ...driver, unsupportedReason: reason };
  for (const entry of readList(families, 'families', invalidArgument).flatMap((f) => entriesOf(f as EntryFamily))) {
    (out as unknown as Record<string, unknown>)[entry] = async (): Promise<never> => {
      throw unsupportedError(publicName(entry), reason);
    };
  }
  return out;
}

/**
 * `driver` with every memory-tuning entry answering NO_SUPPORT that names `reason`; everything else is kept.
 * A driver factory that finds the host unable to tune memory can serve its domains this way.
 */
export function withoutMemoryTuning(driver: HypervisorDriver, reason: string): HypervisorDriver {
  return withoutTuning(driver, ['memory'], reason);
}

/** The tunable families the stub refuses, each with NO_SUPPORT: every one the table of entry points marks tunable. */
export const STUB_TUNABLE_FAMILIES: readonly EntryFamily[] = TUNABLE_ENTRY_FAMILIES;

/**
 * The stub driver for hosts that cannot tune memory. It keeps domain definitions in memory for the connection's
 * life (define, start, destroy, undefine, XML, info, as the test driver does, starting empty) and answers every
 * tuning entry (memory, scheduler, blkio) with NO_SUPPORT naming the missing host feature, so code that probes the host
 * gets a clear answer and nothing else breaks.
 *
 * @param uri the URI the caller asked for (`qemu:///system`, `lxc:///`, `unsupported:///`).
 * @param reason what the host lacks, in words (see {@link UnsupportedReason}); it is `unsupportedReason`.
 * @param emit where lifecycle events go (the `emit` of the factory's open options).
 * @param familyReasons what the host lacks for a family other than memory, when the factory knows
 *   (`{ scheduler: UnsupportedReason.NO_CPU_CGROUP }`); a family not named says `reason`.
 *
 * @example
 * ```ts
 * // in a driver factory:
 * if (!hasMemoryCgroup()) return openUnsupportedDriver(uri, UnsupportedReason.NO_MEMORY_CGROUP, options.emit);
 * ```
 */
export async function openUnsupportedDriver(
  uri: VirURI,
  reason: string,
  emit: DomainEventSink = () => {},
  familyReasons: Partial<Record<EntryFamily, string>> = {},
): Promise<HypervisorDriver> {
  const domains = new DomainObjectList({ errorDomain: ErrorDomain.NONE });
  let driver: HypervisorDriver = { ...createTestDriver(domains, emit), type: uri.scheme === 'unsupported' ? 'UNSUPPORTED' : uri.scheme.toUpperCase() };
  for (const family of STUB_TUNABLE_FAMILIES) driver = withoutTuning(driver, [family], familyReasons[family] ?? reason);
  return { ...driver, unsupportedReason: reason };
}
