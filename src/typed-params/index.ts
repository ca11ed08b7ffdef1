export * from './types.js';
export * from './validate.js';
export * from './helpers.js';
export { ParamTable, type ParamRow } from './param-table.js';
export { typedParamFromString } from './from-string.js';
