// The free functions the package root exports from below the model (the connection, drivers, the fleet, the
// table of entry points, flags and errors), each through publicEntry: given anything, they return or throw a
// VirError. src/index.ts re-exports them; the explicit exports there take precedence over its star exports.
import { publicEntry } from './error-guard.js';
import * as errors from './errors.js';
import * as flags from './flags.js';
import * as entries from './entry-points.js';
import * as connection from './connection/connection.js';
import * as registry from './connection/registry.js';
import * as uri from './connection/uri.js';
import * as lxc from './drivers/lxc/factory.js';
import * as unsupported from './drivers/unsupported/unsupported-driver.js';
import * as fleet from './fleet/apply-memory-parameters.js';

/** {@inheritDoc errors.checkFlags} */
export const checkFlags = publicEntry(errors.checkFlags);
/** {@inheritDoc flags.affectFlags} */
export const affectFlags = publicEntry(flags.affectFlags);
/** {@inheritDoc entries.publicName} */
export const publicName = publicEntry(entries.publicName);
/** {@inheritDoc entries.entriesOf} */
export const entriesOf = publicEntry(entries.entriesOf);
/** {@inheritDoc connection.openConnection} */
export const openConnection = publicEntry(connection.openConnection);
/** {@inheritDoc registry.registerDriver} */
export const registerDriver = publicEntry(registry.registerDriver);
/** {@inheritDoc registry.registeredSchemes} */
export const registeredSchemes = publicEntry(registry.registeredSchemes);
/** {@inheritDoc uri.parseURI} */
export const parseURI = publicEntry(uri.parseURI);
/** {@inheritDoc lxc.createLxcDriverFactory} */
export const createLxcDriverFactory = publicEntry(lxc.createLxcDriverFactory);
/** {@inheritDoc unsupported.openUnsupportedDriver} */
export const openUnsupportedDriver = publicEntry(unsupported.openUnsupportedDriver);
/** {@inheritDoc unsupported.withoutMemoryTuning} */
export const withoutMemoryTuning = publicEntry(unsupported.withoutMemoryTuning);
/** {@inheritDoc unsupported.withoutTuning} */
export const withoutTuning = publicEntry(unsupported.withoutTuning);
/** {@inheritDoc fleet.applyMemoryParametersAcrossHosts} */
export const applyMemoryParametersAcrossHosts = publicEntry(fleet.applyMemoryParametersAcrossHosts);
