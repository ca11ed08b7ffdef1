import { TypedParameterType, type TypedParameter, type TypedParameterInput } from './types.js';
import { normalizeTypedParam } from './validate.js';

/** The first parameter named `field`, or undefined (libvirt's virTypedParamsGet). */
export function getTypedParam(params: readonly TypedParameter[], field: string): TypedParameter | undefined {
  return params.find((p) => p.field === field);
}

/** Every parameter named `field` (libvirt allows repeats only where a spec says so). */
export function filterTypedParams(params: readonly TypedParameter[], field: string): TypedParameter[] {
  return params.filter((p) => p.field === field);
}

/** A new list with `param` appended after it has been checked and normalized (virTypedParamsAdd*). */
export function addTypedParam(params: readonly TypedParameter[], param: TypedParameterInput): TypedParameter[] {
  return [...params, normalizeTypedParam(param)];
}

/** Shorthand for a ULLONG parameter, the type of every memory tunable. */
export function ullong(field: string, value: number | bigint): TypedParameter {
  return normalizeTypedParam({ field, type: TypedParameterType.ULLONG, value });
}

/** A plain record of name → value; later repeats of a name win. */
export function typedParamsToRecord(params: readonly TypedParameter[]): Record<string, TypedParameter['value']> {
  const out: Record<string, TypedParameter['value']> = {};
  for (const p of params) out[p.field] = p.value;
  return out;
}

/** Typed parameters from a record, each name's type taken from `types`; names not in `types` are an error. */
export function typedParamsFromRecord(
  record: Readonly<Record<string, number | bigint | boolean | string>>,
  types: Readonly<Record<string, TypedParameterType>>,
): TypedParameter[] {
  return Object.entries(record).map(([field, value]) => {
    const type = types[field];
    if (type === undefined) {
      return normalizeTypedParam({ field, type: 0 as TypedParameterType, value: value as never });
    }
    return normalizeTypedParam({ field, type, value } as TypedParameterInput);
  });
}
