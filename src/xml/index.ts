// What the package exports of the XML code. Functions go out through publicEntry (given anything, they return or
// throw a VirError); the explicit exports below take precedence over the star exports of the same names.
import { publicEntry } from '../error-guard.js';
import * as name from './name.js';
import * as uuid from './uuid.js';
import * as memtune from './memtune.js';
import * as parse from './parse-domain.js';
import * as format from './format-domain.js';
import * as clone from './clone.js';
import * as clock from './default-clock.js';
import * as cache from './validation-cache.js';
import * as units from './units.js';

export * from './domain-def.js';
export * from './units.js';
export * from './limits.js';
export type { ParseMemtuneOptions } from './memtune.js';
export type { ParseDomainOptions } from './parse-domain.js';
export type { FormatDomainOptions } from './format-domain.js';
export type { DomainPassthrough } from './passthrough.js';
export type { RawNode, RawAttr } from './raw.js';
export type { PlacedNode, Extras } from './layout.js';

/** {@inheritDoc name.checkDomainName} */
export const checkDomainName = publicEntry(name.checkDomainName);
/** {@inheritDoc uuid.parseUUID} */
export const parseUUID = publicEntry(uuid.parseUUID);
/** {@inheritDoc uuid.generateUUID} */
export const generateUUID = publicEntry(uuid.generateUUID);
/** {@inheritDoc memtune.defaultMemTune} */
export const defaultMemTune = publicEntry(memtune.defaultMemTune);
/** {@inheritDoc memtune.parseMemtune} */
export const parseMemtune = publicEntry(memtune.parseMemtune);
/** {@inheritDoc memtune.formatMemtune} */
export const formatMemtune = publicEntry(memtune.formatMemtune);
/** {@inheritDoc memtune.isDefaultMemtune} */
export const isDefaultMemtune = publicEntry(memtune.isDefaultMemtune);
/** {@inheritDoc parse.parseDomainXML} */
export const parseDomainXML = publicEntry(parse.parseDomainXML);
/** {@inheritDoc parse.validateDomainXML} */
export const validateDomainXML = publicEntry(parse.validateDomainXML);
/** {@inheritDoc format.formatDomainXML} */
export const formatDomainXML = publicEntry(format.formatDomainXML);
/** {@inheritDoc clone.cloneDomainDef} */
export const cloneDomainDef = publicEntry(clone.cloneDomainDef);
/** {@inheritDoc clock.applyDefaultClock} */
export const applyDefaultClock = publicEntry(clock.applyDefaultClock);
/** {@inheritDoc cache.clearValidationCache} */
export const clearValidationCache = publicEntry(cache.clearValidationCache);
/** {@inheritDoc units.unitScale} */
export const unitScale = publicEntry(units.unitScale);
/** {@inheritDoc units.invalidValueError} */
export const invalidValueError = publicEntry(units.invalidValueError);
/** {@inheritDoc units.parseUnsignedDecimal} */
export const parseUnsignedDecimal = publicEntry(units.parseUnsignedDecimal);
/** {@inheritDoc units.parseScaledInteger} */
export const parseScaledInteger = publicEntry(units.parseScaledInteger);
/** {@inheritDoc units.bytesToKiB} */
export const bytesToKiB = publicEntry(units.bytesToKiB);
/** {@inheritDoc units.parseMemoryKiB} */
export const parseMemoryKiB = publicEntry(units.parseMemoryKiB);
/** {@inheritDoc units.checkKiB} */
export const checkKiB = publicEntry(units.checkKiB);
