import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { asVirError, knownErrorDomain, readList } from '../error-guard.js';
import {
  TYPE_NAMES,
  TYPED_PARAM_FIELD_LENGTH,
  TypedParameterType,
  type TypedParameter,
  type TypedParameterInput,
  type TypedParameterSpec,
} from './types.js';

const INT_RANGE: Record<number, readonly [bigint, bigint]> = {
  [TypedParameterType.INT]: [-(2n ** 31n), 2n ** 31n - 1n],
  [TypedParameterType.UINT]: [0n, 2n ** 32n - 1n],
  [TypedParameterType.LLONG]: [-(2n ** 63n), 2n ** 63n - 1n],
  [TypedParameterType.ULLONG]: [0n, 2n ** 64n - 1n],
};

function invalid(msg: string, domain: ErrorDomain): VirError {
  return new VirError(ErrorCode.INVALID_ARG, domain, msg);
}

/** A parameter as given, once its name is known to be a string. */
interface ParamShape {
  field: string;
  type: unknown;
  value: unknown;
}

/**
 * True when `field` may be VIR_TYPED_PARAM_FIELD_LENGTH UTF-8 bytes or longer. A UTF-16 code unit is at most 3
 * UTF-8 bytes, so a short name is known to fit without encoding it (the common case, on every call).
 */
function mayBeTooLong(field: string): boolean {
  return field.length * 3 >= TYPED_PARAM_FIELD_LENGTH && Buffer.byteLength(field, 'utf8') >= TYPED_PARAM_FIELD_LENGTH;
}

/**
 * The caller's parameter list read once into an array of our own ({@link readList}): the checks and the driver see
 * the same values whatever the caller's object does later.
 */
export function snapshotList(
  params: unknown,
  domain: ErrorDomain = ErrorDomain.NONE,
  notArray: () => VirError = () => invalid('parameters must be an array', domain),
): unknown[] {
  return readList(params, 'parameters', (reason) => (Array.isArray(params) ? invalid(reason, domain) : notArray()), domain);
}

/** A parameter's three properties, each read once (a Proxy's or a getter's error becomes INVALID_ARG). */
function readParam(p: object, domain: ErrorDomain): { field: unknown; type: unknown; value: unknown } {
  try {
    const { field, type, value } = p as { field: unknown; type: unknown; value: unknown };
    return { field, type, value };
  } catch (e) {
    throw asVirError(e, 'typed parameter', domain);
  }
}

/** An object with a non-empty name of at most 79 bytes (libvirt's virTypedParameterValidateSet). */
function checkParamShape(p: TypedParameterInput, domain: ErrorDomain): ParamShape {
  if (p === null || typeof p !== 'object') throw invalid('typed parameter must be an object', domain);
  const { field, type, value } = readParam(p, domain);
  if (typeof field !== 'string' || field.length === 0) throw invalid('parameter name must be a non-empty string', domain);
  if (mayBeTooLong(field) || field.includes('\0')) {
    // libvirt prints the first VIR_TYPED_PARAM_FIELD_LENGTH bytes of the name ('%.*s').
    const shown = Buffer.from(field, 'utf8').subarray(0, TYPED_PARAM_FIELD_LENGTH).toString('utf8');
    // virReportInvalidArg: INVALID_ARG without the `invalid argument: ` prefix.
    throw new VirError(ErrorCode.INVALID_ARG, domain, `string parameter name '${shown}' too long`, { verbatim: true });
  }
  return { field, type, value };
}

/** The name libvirt prints for a type number; `unknown` for one it does not know. */
function typeName(type: unknown): string {
  return TYPE_NAMES[type as TypedParameterType] ?? 'unknown';
}

/**
 * Checks that one parameter is well formed (a name of at most 79 bytes, a known type, a value of that type in
 * range) and returns it in canonical form: 64-bit values as bigint.
 */
export function normalizeTypedParam(p: TypedParameterInput, domain = ErrorDomain.NONE): TypedParameter {
  const where = knownErrorDomain(domain);
  return normalizeShape(checkParamShape(p, where), where);
}

/** {@link normalizeTypedParam} on a parameter whose shape is already checked. */
function normalizeShape({ field, type, value }: ParamShape, domain: ErrorDomain): TypedParameter {
  const bad = (): VirError =>
    invalid(`invalid value for parameter '${field}' of type '${typeName(type)}'`, domain);
  switch (type) {
    case TypedParameterType.INT:
    case TypedParameterType.UINT:
    case TypedParameterType.LLONG:
    case TypedParameterType.ULLONG: {
      let big: bigint;
      if (typeof value === 'bigint') big = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
      else throw bad();
      if ((type === TypedParameterType.INT || type === TypedParameterType.UINT) && typeof value !== 'number') throw bad();
      const [lo, hi] = INT_RANGE[type]!;
      if (big < lo || big > hi) throw bad();
      return type === TypedParameterType.INT || type === TypedParameterType.UINT
        ? { field, type, value: Number(big) }
        : { field, type, value: big };
    }
    case TypedParameterType.DOUBLE:
      if (typeof value !== 'number') throw bad();
      return { field, type, value };
    case TypedParameterType.BOOLEAN:
      if (typeof value !== 'boolean') throw bad();
      return { field, type, value };
    case TypedParameterType.STRING:
      if (typeof value !== 'string' || value.includes('\0')) throw bad();
      return { field, type, value };
    default:
      throw invalid(`unknown type ${String(type)} for parameter '${field}'`, domain);
  }
}

/**
 * libvirt's `virTypedParamsValidate`: every name known to `spec`, none twice, each of the expected type.
 * Parameters are checked in name order, as libvirt sorts them first, so the first error reported is the same.
 * Returns the parameters normalized (64-bit values as bigint), in the caller's order.
 */
export function validateTypedParams(
  params: readonly TypedParameterInput[],
  spec: TypedParameterSpec,
  domainGiven = ErrorDomain.NONE,
): TypedParameter[] {
  const domain = knownErrorDomain(domainGiven);
  const list = snapshotList(params, domain);
  // Names first (libvirt checks them on entry), then libvirt's walk on names and types, then the values.
  const shapes = list.map((p) => checkParamShape(p as TypedParameterInput, domain));
  // libvirt sorts with strcmp: compare UTF-8 bytes, not UTF-16 code units.
  const sorted =
    shapes.length < 2 ? shapes : [...shapes].sort((a, b) => Buffer.compare(Buffer.from(a.field), Buffer.from(b.field)));
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.field === p.field) {
      throw invalid(`parameter '${p.field}' occurs multiple times`, domain);
    }
    const expected = specType(spec, p.field);
    if (expected === undefined) {
      throw new VirError(ErrorCode.ARGUMENT_UNSUPPORTED, domain, `parameter '${p.field}' not supported`);
    }
    if (expected !== p.type) {
      throw invalid(
        `invalid type '${typeName(p.type)}' for parameter '${p.field}', expected '${TYPE_NAMES[expected]}'`,
        domain,
      );
    }
  }
  return shapes.map((p) => normalizeShape(p, domain));
}

/**
 * libvirt's public-function check on a parameter list to set: present and not empty, worded as libvirt words it
 * (`nparams in virDomainSetMemoryParameters must be greater than zero`, error domain DOMAIN).
 */
export function checkTypedParamCount(params: readonly unknown[], fn: string): void {
  countedList(params, fn);
}

/** {@link checkTypedParamCount}, giving the list read once ({@link snapshotList}). */
function countedList(params: unknown, fn: string): unknown[] {
  const name = typeof fn === 'string' ? fn : 'function';
  const list = snapshotList(params, ErrorDomain.DOMAIN, () =>
    new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `params in ${name} must not be NULL`, { verbatim: true }),
  );
  if (list.length === 0) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `nparams in ${name} must be greater than zero`, {
      verbatim: true,
    });
  }
  return list;
}

/** The type `spec` expects for `field`: own names only (`constructor` must not find Object.prototype's). */
function specType(spec: TypedParameterSpec, field: string): TypedParameterType | undefined {
  try {
    return Object.prototype.hasOwnProperty.call(spec, field) ? spec[field] : undefined;
  } catch (e) {
    throw asVirError(e, 'typed parameter spec');
  }
}

/**
 * What libvirt's public setters check before any driver sees a parameter list: present, not empty
 * ({@link checkTypedParamCount}) and every name at most 79 bytes (virTypedParameterValidateSet).
 *
 * @returns the list as read, once: plain `{ field, type, value }` objects to hand on instead of the caller's, so
 * a getter cannot answer the driver differently from the check.
 */
export function checkTypedParamsForSet(params: readonly TypedParameterInput[], fn: string): TypedParameterInput[] {
  return countedList(params, fn).map((p) => checkParamShape(p as TypedParameterInput, ErrorDomain.NONE) as TypedParameterInput);
}

/**
 * libvirt's virTypedParameterValidateSet alone, for setters that accept an empty list
 * (virDomainSetSchedulerParameters, virDomainSetBlkioParameters): present, and every name at most 79 bytes.
 *
 * @returns the list as read, once (see {@link checkTypedParamsForSet}).
 */
export function checkTypedParamNames(params: readonly TypedParameterInput[], fn: string): TypedParameterInput[] {
  const name = typeof fn === 'string' ? fn : 'function';
  const list = snapshotList(params, ErrorDomain.DOMAIN, () =>
    new VirError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, `params in ${name} must not be NULL`, { verbatim: true }),
  );
  return list.map((p) => checkParamShape(p as TypedParameterInput, ErrorDomain.NONE) as TypedParameterInput);
}
