// The public face of virtune: re-exports only. Functions come through publicEntry (src/public-entries.ts and each
// directory's index): an explicit export takes precedence over a star export of the same name.
export * from './errors.js';
export * from './flags.js';
export * from './events.js';
export * from './typed-params/index.js';
export * from './memory/index.js';
export * from './scheduler/index.js';
export * from './blkio/index.js';
export * from './xml/index.js';
export type * from './driver.js';
export { Connection, type OpenOptions } from './connection/connection.js';
export { ENTRY_POINTS, type DriverEntry, type EntryFamily, type EntryPoint } from './entry-points.js';
export { Domain } from './connection/domain.js';
export { type RegisterDriverOptions } from './connection/registry.js';
export { type VirURI } from './connection/uri.js';
export { UnsupportedReason, STUB_TUNABLE_FAMILIES } from './drivers/unsupported/unsupported-driver.js';
export { type HostTarget, type AcrossHostsOptions, type HostResult } from './fleet/apply-memory-parameters.js';
export {
  checkFlags, affectFlags, publicName, entriesOf, openConnection, registerDriver, registeredSchemes, parseURI,
  createLxcDriverFactory, openUnsupportedDriver, withoutMemoryTuning, withoutTuning, applyMemoryParametersAcrossHosts,
} from './public-entries.js';
export * from './autopilot/index.js';
