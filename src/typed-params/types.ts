/** libvirt's `virTypedParameterType`, with its numbers. */
export enum TypedParameterType {
  INT = 1,
  UINT = 2,
  LLONG = 3,
  ULLONG = 4,
  DOUBLE = 5,
  BOOLEAN = 6,
  STRING = 7,
}

/** The names libvirt prints for each type in its messages (`expected 'ullong'`). */
export const TYPE_NAMES: Readonly<Record<TypedParameterType, string>> = {
  [TypedParameterType.INT]: 'int',
  [TypedParameterType.UINT]: 'uint',
  [TypedParameterType.LLONG]: 'llong',
  [TypedParameterType.ULLONG]: 'ullong',
  [TypedParameterType.DOUBLE]: 'double',
  [TypedParameterType.BOOLEAN]: 'boolean',
  [TypedParameterType.STRING]: 'string',
};

/** libvirt's VIR_TYPED_PARAM_FIELD_LENGTH: a name holds at most 79 bytes plus its terminator. */
export const TYPED_PARAM_FIELD_LENGTH = 80;

/** A 32-bit typed parameter; `value` is an integer in the type's range. */
export interface IntParameter {
  field: string;
  type: TypedParameterType.INT | TypedParameterType.UINT;
  value: number;
}
/**
 * A 64-bit typed parameter. Results always carry `bigint`; as input a `number` is accepted when it is a safe
 * integer, so nothing is ever rounded silently.
 */
export interface LongParameter {
  field: string;
  type: TypedParameterType.LLONG | TypedParameterType.ULLONG;
  value: bigint;
}
export interface DoubleParameter {
  field: string;
  type: TypedParameterType.DOUBLE;
  value: number;
}
export interface BooleanParameter {
  field: string;
  type: TypedParameterType.BOOLEAN;
  value: boolean;
}
export interface StringParameter {
  field: string;
  type: TypedParameterType.STRING;
  value: string;
}

/** One of libvirt's `virTypedParameter`s, as returned by virtune. */
export type TypedParameter = IntParameter | LongParameter | DoubleParameter | BooleanParameter | StringParameter;

/** What callers may pass in: like {@link TypedParameter}, but a 64-bit value may also be a safe-integer number. */
export type TypedParameterInput =
  | TypedParameter
  | { field: string; type: TypedParameterType.LLONG | TypedParameterType.ULLONG; value: number | bigint };

/** What a driver accepts for one parameter name: libvirt's `virTypedParamsValidate` spec. */
export type TypedParameterSpec = Readonly<Record<string, TypedParameterType>>;
