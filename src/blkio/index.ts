export * from './params.js';
export { parseBlkioDeviceList, formatBlkioDeviceList, type BlkioDeviceValue } from './device-list.js';
export * from './validate.js';
export { blkiotuneToParams, type BlkiotuneValues } from './blkiotune-fields.js';
