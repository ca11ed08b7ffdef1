// The memory cgroup layer: detection, naming, v1/v2 backends and the rolled-back write transaction.
export * from './backend.js';
export * from './cgroup-fs.js';
export * from './controller.js';
export * from './detect.js';
export * from './domain-cgroup.js';
export * from './kib.js';
export * from './names.js';
export * from './system-error.js';
export * from './transaction.js';
export * from './v1.js';
export * from './v2.js';
