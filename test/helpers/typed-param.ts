import { TypedParameterType, type LongParameter } from '../../src/typed-params/types.js';

/** A ULLONG typed parameter, as drivers return them (value a bigint); numbers are accepted for brevity. */
export function ull(field: string, value: number | bigint): LongParameter {
  return { field, type: TypedParameterType.ULLONG, value: BigInt(value) };
}

/** An LLONG typed parameter (value a bigint). */
export function ll(field: string, value: number | bigint): LongParameter {
  return { field, type: TypedParameterType.LLONG, value: BigInt(value) };
}
