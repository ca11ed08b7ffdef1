export * from './params.js';
export * from './validate.js';
export { parseSize, type MemorySize } from './size.js';
export { memtuneToParams, paramsToMemtune, type MemtuneValues, type MemtuneReport } from './memtune-fields.js';
