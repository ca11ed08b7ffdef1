export * from './params.js';
export * from './validate.js';
export * from './cpu-fields.js';
