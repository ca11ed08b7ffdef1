import type { CooperationVerdict } from '../driver.js';

import { UNLIMITED } from '../memory/params.js';

/**
 * The autopilot's vocabulary: what a policy sees of each running guest and of the host, and what it may decide.
 * A policy is a pure function of these, so it can be replaced, tested without guests and compared side by side.
 * Sizes here are plain numbers of KiB, unlike the API's bigints: a policy computes shares and margins of guest
 * sizes, all far below 2^53 KiB; the loop converts at the API's edge.
 */

/** UNLIMITED (2^53 - 1 KiB) as a number: what an unset limit reads as here. */
export const UNLIMITED_KIB = Number(UNLIMITED);

/** One running guest as the autopilot saw it this interval. Sizes in KiB. */
export interface GuestView {
  name: string;
  uuid: string;
  /** `<memory>`: the most the guest may have. */
  memoryKiB: number;
  /** The balloon's size now (what the guest may use). */
  actualKiB: number;
  /** min_guarantee: the autopilot never sets a target below it. */
  minGuaranteeKiB: number;
  /** The guest's own figures, when it reports them: MemTotal (`available`), MemAvailable (`usable`), MemFree (`unused`). */
  availableKiB?: number;
  usableKiB?: number;
  unusedKiB?: number;
  /** QEMU's resident memory on the host. */
  rssKiB?: number;
  /** The live limits (UNLIMITED when unset). */
  softLimitKiB: number;
  hardLimitKiB: number;
  verdict: CooperationVerdict;
}

/** The host's memory and pressure. */
export interface HostView {
  memTotalKiB: number;
  memAvailableKiB: number;
  /** /proc/pressure/memory `some avg10`: the share of the last 10 s some task stalled on memory, percent. */
  psiSomeAvg10: number;
}

/** What a policy remembers about a guest between intervals (its own; the loop only carries it). */
export type GuestMemo = Readonly<Record<string, number | string | boolean | undefined>>;

export interface PolicyInput {
  /** Which interval this is, from 0. */
  tick: number;
  host: HostView;
  guests: readonly GuestView[];
  /** What the policy returned last time, by guest uuid. */
  memo: ReadonlyMap<string, GuestMemo>;
}

/** One action on one guest. `hold` changes nothing and says why. */
export type Action =
  | { kind: 'hold' }
  | { kind: 'balloon'; targetKiB: number }
  | { kind: 'soft-limit'; kib: number }
  | { kind: 'hard-limit'; kib: number }
  | { kind: 'release-limits'; softLimitKiB: number; hardLimitKiB: number };

export interface Decision {
  uuid: string;
  name: string;
  action: Action;
  /** Why, in a sentence with the figures. */
  reason: string;
}

export interface PolicyOutput {
  decisions: Decision[];
  memo: Map<string, GuestMemo>;
}

/** A policy: a name and a pure function from what it sees (and remembers) to decisions. */
export interface Policy {
  readonly name: string;
  decide(input: PolicyInput): PolicyOutput;
}

/** Below this share of its memory available, the host is under pressure (MoM's threshold). */
export const HOST_PRESSURE_FREE_SHARE = 0.2;

/** Whether the host is under memory pressure: little available, or tasks stalling on memory. */
export function hostUnderPressure(host: HostView, psiThreshold = 10): boolean {
  return host.memAvailableKiB < host.memTotalKiB * HOST_PRESSURE_FREE_SHARE || host.psiSomeAvg10 >= psiThreshold;
}

/**
 * What the guest needs of its balloon: everything but what it reports as available (MemAvailable). That is its
 * use (MemTotal − MemAvailable) plus what its kernel keeps outside MemTotal (the kernel image, page tables of
 * memory, an unpacked initramfs: tens of MiB a balloon can never take). Undefined when the guest does not report.
 */
export function guestUsedKiB(g: GuestView): number | undefined {
  return g.usableKiB !== undefined ? Math.max(0, g.actualKiB - g.usableKiB) : undefined;
}
