export * from './params.js';
export * from './validate.js';
