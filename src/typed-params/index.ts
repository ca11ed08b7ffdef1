// What the package exports of typed parameters. Functions go out through publicEntry (given anything, they return
// or throw a VirError).
import { publicEntry } from '../error-guard.js';
import * as helpers from './helpers.js';
import * as validate from './validate.js';

export * from './types.js';
export type { TypedParameterValues } from './helpers.js';
export { ParamTable, type ParamRow } from './param-table.js';
import * as fromString from './from-string.js';

/** {@inheritDoc fromString.typedParamFromString} */
export const typedParamFromString = publicEntry(fromString.typedParamFromString);
/** {@inheritDoc validate.checkTypedParamNames} */
export const checkTypedParamNames = publicEntry(validate.checkTypedParamNames);

/** {@inheritDoc validate.normalizeTypedParam} */
export const normalizeTypedParam = publicEntry(validate.normalizeTypedParam);
/** {@inheritDoc validate.validateTypedParams} */
export const validateTypedParams = publicEntry(validate.validateTypedParams);
/** {@inheritDoc validate.checkTypedParamCount} */
export const checkTypedParamCount = publicEntry(validate.checkTypedParamCount);
/** {@inheritDoc validate.checkTypedParamsForSet} */
export const checkTypedParamsForSet = publicEntry(validate.checkTypedParamsForSet);
/** {@inheritDoc helpers.getTypedParam} */
export const getTypedParam = publicEntry(helpers.getTypedParam);
/** {@inheritDoc helpers.filterTypedParams} */
export const filterTypedParams = publicEntry(helpers.filterTypedParams);
/** {@inheritDoc helpers.addTypedParam} */
export const addTypedParam = publicEntry(helpers.addTypedParam);
/** {@inheritDoc helpers.ullong} */
export const ullong = publicEntry(helpers.ullong);
/** {@inheritDoc helpers.typedParamsToRecord} */
export const typedParamsToRecord = publicEntry(helpers.typedParamsToRecord);
/** {@inheritDoc helpers.typedParamsFromRecord} */
export const typedParamsFromRecord = publicEntry(helpers.typedParamsFromRecord);
/** {@inheritDoc helpers.getTypedParamValue} */
export const getTypedParamValue = publicEntry(helpers.getTypedParamValue);
