// The public face of virtune: re-exports only.
export * from './errors.js';
export * from './flags.js';
export * from './events.js';
export * from './typed-params/index.js';
export * from './memory/index.js';
export * from './scheduler/index.js';
export * from './blkio/index.js';
export * from './xml/index.js';
export type * from './driver.js';
export { Connection, openConnection, type OpenOptions } from './connection/connection.js';
export { ENTRY_POINTS, entriesOf, publicName, type DriverEntry, type EntryFamily, type EntryPoint } from './entry-points.js';
export { Domain } from './connection/domain.js';
export { registerDriver, registeredSchemes, type RegisterDriverOptions } from './connection/registry.js';
export { parseURI, type VirURI } from './connection/uri.js';
export { createLxcDriverFactory } from './drivers/lxc/factory.js';
export { openUnsupportedDriver, withoutMemoryTuning, withoutTuning, UnsupportedReason, STUB_TUNABLE_FAMILIES } from './drivers/unsupported/unsupported-driver.js';
export { applyMemoryParametersAcrossHosts, type HostTarget, type AcrossHostsOptions, type HostResult } from './fleet/apply-memory-parameters.js';
export * from './autopilot/index.js';
