// What the package exports of the blkio tunables. Functions go out through publicEntry (given anything, they return
// or throw a VirError); the explicit exports below take precedence over the star exports of the same names, so a
// function added to these files is exported unguarded until it is listed here (the hostile-inputs suite says so).
import { publicEntry } from '../error-guard.js';
import * as params from './params.js';
import * as list from './device-list.js';
import * as validate from './validate.js';
import * as fields from './blkiotune-fields.js';

export * from './params.js';
export type { BlkioDeviceValue } from './device-list.js';
export * from './validate.js';
export type { BlkiotuneValues } from './blkiotune-fields.js';

/** {@inheritDoc params.isBlkioDeviceParam} */
export const isBlkioDeviceParam = publicEntry(params.isBlkioDeviceParam);
/** {@inheritDoc list.parseBlkioDeviceList} */
export const parseBlkioDeviceList = publicEntry(list.parseBlkioDeviceList);
/** {@inheritDoc list.formatBlkioDeviceList} */
export const formatBlkioDeviceList = publicEntry(list.formatBlkioDeviceList);
/** {@inheritDoc validate.emptyBlkioTune} */
export const emptyBlkioTune = publicEntry(validate.emptyBlkioTune);
/** {@inheritDoc validate.validateBlkioParams} */
export const validateBlkioParams = publicEntry(validate.validateBlkioParams);
/** {@inheritDoc validate.blkioUpdateFrom} */
export const blkioUpdateFrom = publicEntry(validate.blkioUpdateFrom);
/** {@inheritDoc validate.parseBlkioParams} */
export const parseBlkioParams = publicEntry(validate.parseBlkioParams);
/** {@inheritDoc validate.isEmptyBlkioUpdate} */
export const isEmptyBlkioUpdate = publicEntry(validate.isEmptyBlkioUpdate);
/** {@inheritDoc validate.mergeBlkioTune} */
export const mergeBlkioTune = publicEntry(validate.mergeBlkioTune);
/** {@inheritDoc validate.isEmptyBlkioDevice} */
export const isEmptyBlkioDevice = publicEntry(validate.isEmptyBlkioDevice);
/** {@inheritDoc validate.blkioTuneToParams} */
export const blkioTuneToParams = publicEntry(validate.blkioTuneToParams);
/** {@inheritDoc validate.blkioUpdateToParams} */
export const blkioUpdateToParams = publicEntry(validate.blkioUpdateToParams);
/** {@inheritDoc validate.paramsToBlkioTune} */
export const paramsToBlkioTune = publicEntry(validate.paramsToBlkioTune);
/** {@inheritDoc fields.blkiotuneToParams} */
export const blkiotuneToParams = publicEntry(fields.blkiotuneToParams);
