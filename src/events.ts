import type { DomainRef } from './driver.js';
import type { TypedParameter } from './typed-params/types.js';

/** libvirt's virDomainEventType (lifecycle events). */
export enum DomainEventType {
  DEFINED = 0,
  UNDEFINED = 1,
  STARTED = 2,
  SUSPENDED = 3,
  RESUMED = 4,
  STOPPED = 5,
  SHUTDOWN = 6,
  PMSUSPENDED = 7,
  CRASHED = 8,
}

/** virDomainEventDefinedDetailType. */
export enum DomainEventDefinedDetail {
  ADDED = 0,
  UPDATED = 1,
  RENAMED = 2,
  FROM_SNAPSHOT = 3,
}

/** virDomainEventUndefinedDetailType. */
export enum DomainEventUndefinedDetail {
  REMOVED = 0,
  RENAMED = 1,
}

/** virDomainEventStartedDetailType. */
export enum DomainEventStartedDetail {
  BOOTED = 0,
  MIGRATED = 1,
  RESTORED = 2,
  FROM_SNAPSHOT = 3,
  WAKEUP = 4,
}

/** virDomainEventStoppedDetailType. */
export enum DomainEventStoppedDetail {
  SHUTDOWN = 0,
  DESTROYED = 1,
  CRASHED = 2,
  MIGRATED = 3,
  SAVED = 4,
  FAILED = 5,
  FROM_SNAPSHOT = 6,
}

/**
 * What a driver reports. `kind` follows libvirt's event ids (LIFECYCLE, TUNABLE, BALLOON_CHANGE). A `tunable`
 * event after setMemoryParameters carries the parameters that were set (libvirt emits TUNABLE for cputune and
 * blkiotune only; virtune also emits it for memtune).
 */
export type DomainEvent =
  | { kind: 'lifecycle'; domain: DomainRef; event: DomainEventType; detail: number }
  | { kind: 'tunable'; domain: DomainRef; params: TypedParameter[] }
  | { kind: 'balloon-change'; domain: DomainRef; actualKiB: bigint }
  /** libvirt's MEMORY_DEVICE_SIZE_CHANGE: a virtio-mem device's plugged size changed (its alias, KiB). */
  | { kind: 'memory-device-size-change'; domain: DomainRef; alias: string; sizeKiB: bigint };

/** A sink a driver is given at open time; the connection fans events out to subscribers. */
export type DomainEventSink = (event: DomainEvent) => void;
