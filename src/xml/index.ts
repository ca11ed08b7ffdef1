export * from './domain-def.js';
