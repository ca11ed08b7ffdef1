// What the package exports of the scheduler's tunables. Functions go out through publicEntry (given anything, they
// return or throw a VirError); the explicit exports below take precedence over the star exports of the same names,
// so a function added to these files is exported unguarded until it is listed here (the hostile-inputs suite says so).
import { publicEntry } from '../error-guard.js';
import * as validate from './validate.js';
import * as fields from './cpu-fields.js';

export * from './params.js';
export * from './validate.js';
export * from './cpu-fields.js';

/** {@inheritDoc validate.parseSchedulerParams} */
export const parseSchedulerParams = publicEntry(validate.parseSchedulerParams);
/** {@inheritDoc validate.checkSchedulerRanges} */
export const checkSchedulerRanges = publicEntry(validate.checkSchedulerRanges);
/** {@inheritDoc validate.liveSchedulerChanges} */
export const liveSchedulerChanges = publicEntry(validate.liveSchedulerChanges);
/** {@inheritDoc validate.mergeConfigCpuTune} */
export const mergeConfigCpuTune = publicEntry(validate.mergeConfigCpuTune);
/** {@inheritDoc validate.mergeLiveCpuTune} */
export const mergeLiveCpuTune = publicEntry(validate.mergeLiveCpuTune);
/** {@inheritDoc validate.schedulerParamsOf} */
export const schedulerParamsOf = publicEntry(validate.schedulerParamsOf);
/** {@inheritDoc validate.schedulerEventParams} */
export const schedulerEventParams = publicEntry(validate.schedulerEventParams);
/** {@inheritDoc fields.cpuPercentToQuota} */
export const cpuPercentToQuota = publicEntry(fields.cpuPercentToQuota);
/** {@inheritDoc fields.cpuTuneValuesToParams} */
export const cpuTuneValuesToParams = publicEntry(fields.cpuTuneValuesToParams);
/** {@inheritDoc fields.paramsToCpuTune} */
export const paramsToCpuTune = publicEntry(fields.paramsToCpuTune);
