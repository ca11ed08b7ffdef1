// What the package exports of memory validation. Functions go out through publicEntry (given anything, they return
// or throw a VirError); the explicit exports below take precedence over the star exports of the same names.
import { publicEntry } from '../error-guard.js';
import * as params from './params.js';
import * as validate from './validate.js';
import * as size from './size.js';
import * as fields from './memtune-fields.js';

export * from './params.js';
export * from './validate.js';
export type { MemorySize } from './size.js';
export type { MemtuneValues, MemtuneReport } from './memtune-fields.js';

/** {@inheritDoc params.memoryParamSpec} */
export const memoryParamSpec = publicEntry(params.memoryParamSpec);
/** {@inheritDoc params.emptyMemTune} */
export const emptyMemTune = publicEntry(params.emptyMemTune);
/** {@inheritDoc validate.parseMemoryParams} */
export const parseMemoryParams = publicEntry(validate.parseMemoryParams);
/** {@inheritDoc validate.mergeMemTune} */
export const mergeMemTune = publicEntry(validate.mergeMemTune);
/** {@inheritDoc validate.memTuneToParams} */
export const memTuneToParams = publicEntry(validate.memTuneToParams);
/** {@inheritDoc validate.memoryParamCount} */
export const memoryParamCount = publicEntry(validate.memoryParamCount);
/** {@inheritDoc validate.memTuneUpdateToParams} */
export const memTuneUpdateToParams = publicEntry(validate.memTuneUpdateToParams);
/** {@inheritDoc size.parseSize} */
export const parseSize = publicEntry(size.parseSize);
/** {@inheritDoc fields.memtuneToParams} */
export const memtuneToParams = publicEntry(fields.memtuneToParams);
/** {@inheritDoc fields.paramsToMemtune} */
export const paramsToMemtune = publicEntry(fields.paramsToMemtune);
