import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { TYPE_NAMES, TypedParameterType, type TypedParameter, type TypedParameterInput } from './types.js';
import { normalizeTypedParam, snapshotList } from './validate.js';

/** The list's parameters, each read once as `{ field, type, value }` (helpers trust no caller's object). */
function readParams(params: readonly TypedParameter[]): TypedParameter[] {
  return snapshotList(params).map((p) => {
    if (p === null || typeof p !== 'object') return { field: undefined } as unknown as TypedParameter;
    try {
      const { field, type, value } = p as TypedParameter;
      return { field, type, value } as TypedParameter;
    } catch (e) {
      throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, 'typed parameter cannot be read', { cause: e });
    }
  });
}

/** The first parameter named `field`, or undefined (libvirt's virTypedParamsGet). */
export function getTypedParam(params: readonly TypedParameter[], field: string): TypedParameter | undefined {
  return readParams(params).find((p) => p.field === field);
}

/** Every parameter named `field` (libvirt allows repeats only where a spec says so). */
export function filterTypedParams(params: readonly TypedParameter[], field: string): TypedParameter[] {
  return readParams(params).filter((p) => p.field === field);
}

/** A new list with `param` appended after it has been checked and normalized (virTypedParamsAdd*). */
export function addTypedParam(params: readonly TypedParameter[], param: TypedParameterInput): TypedParameter[] {
  return [...readParams(params), normalizeTypedParam(param)];
}

/** Shorthand for a ULLONG parameter, the type of every memory tunable. */
export function ullong(field: string, value: number | bigint): TypedParameter {
  return normalizeTypedParam({ field, type: TypedParameterType.ULLONG, value });
}

/**
 * A plain record of name → value. A repeated name keeps its first value, as {@link getTypedParam} reads it; every
 * name becomes an own property, `__proto__` included.
 */
export function typedParamsToRecord(params: readonly TypedParameter[]): Record<string, TypedParameter['value']> {
  const values = new Map<string, TypedParameter['value']>();
  for (const p of readParams(params)) if (!values.has(p.field)) values.set(p.field, p.value);
  return Object.fromEntries(values);
}

/** Typed parameters from a record, each name's type taken from `types`; names not in `types` are an error. */
export function typedParamsFromRecord(
  record: Readonly<Record<string, number | bigint | boolean | string>>,
  types: Readonly<Record<string, TypedParameterType>>,
): TypedParameter[] {
  if (record === null || typeof record !== 'object') {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, 'parameters must be given as an object');
  }
  return snapshotList(Object.entries(record)).map((entry) => {
    const [field, value] = entry as [string, unknown];
    // Own names only: `constructor` or `toString` must not find Object.prototype's.
    const type = Object.prototype.hasOwnProperty.call(types, field) ? types[field] : undefined;
    if (type === undefined) {
      throw new VirError(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE, `parameter '${field}' not supported`);
    }
    return normalizeTypedParam({ field, type, value } as TypedParameterInput);
  });
}

/** The value types each parameter type carries. */
export interface TypedParameterValues {
  [TypedParameterType.INT]: number;
  [TypedParameterType.UINT]: number;
  [TypedParameterType.LLONG]: bigint;
  [TypedParameterType.ULLONG]: bigint;
  [TypedParameterType.DOUBLE]: number;
  [TypedParameterType.BOOLEAN]: boolean;
  [TypedParameterType.STRING]: string;
}

/**
 * libvirt's virTypedParamsGet<Type>: the value of the first parameter named `field`, undefined when there is
 * none, and INVALID_ARG (`invalid type 'int' for parameter 'x', expected 'ullong'`) when it has another type.
 */
export function getTypedParamValue<T extends TypedParameterType>(
  params: readonly TypedParameter[],
  field: string,
  type: T,
): TypedParameterValues[T] | undefined {
  const p = getTypedParam(params, field);
  if (p === undefined) return undefined;
  if (p.type !== type) {
    throw new VirError(
      ErrorCode.INVALID_ARG,
      ErrorDomain.NONE,
      `invalid type '${TYPE_NAMES[p.type]}' for parameter '${field}', expected '${TYPE_NAMES[type]}'`,
    );
  }
  return p.value as TypedParameterValues[T];
}
