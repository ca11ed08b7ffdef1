export * from './domain-def.js';
export * from './units.js';
export * from './limits.js';
export { checkDomainName } from './name.js';
export { parseUUID, generateUUID } from './uuid.js';
export {
  defaultMemTune, parseMemtune, formatMemtune, isDefaultMemtune, type ParseMemtuneOptions,
} from './memtune.js';
export { parseDomainXML, validateDomainXML, type ParseDomainOptions } from './parse-domain.js';
export { formatDomainXML, type FormatDomainOptions } from './format-domain.js';
export { cloneDomainDef } from './clone.js';
export { applyDefaultClock } from './default-clock.js';
export { clearValidationCache } from './validation-cache.js';
export type { DomainPassthrough } from './passthrough.js';
export type { RawNode, RawAttr } from './raw.js';
export type { PlacedNode, Extras } from './layout.js';
