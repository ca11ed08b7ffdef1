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

/** What a driver reports. `kind` follows libvirt's event ids (LIFECYCLE, TUNABLE, BALLOON_CHANGE). */
export type DomainEvent =
  | { kind: 'lifecycle'; domain: DomainRef; event: DomainEventType; detail: number }
  | { kind: 'tunable'; domain: DomainRef; params: TypedParameter[] }
  | { kind: 'balloon-change'; domain: DomainRef; actualKiB: number };

/** A sink a driver is given at open time; the connection fans events out to subscribers. */
export type DomainEventSink = (event: DomainEvent) => void;
