/**
 * CIM status codes (DSP0200, "Status codes"): what an operation answers in its `<ERROR CODE=…>` element. The
 * names are DMTF's (CIM_ERR_…); libvirt-cim's providers returned the same numbers through CMPI.
 */
export enum CimStatus {
  FAILED = 1,
  ACCESS_DENIED = 2,
  INVALID_NAMESPACE = 3,
  INVALID_PARAMETER = 4,
  INVALID_CLASS = 5,
  NOT_FOUND = 6,
  NOT_SUPPORTED = 7,
  CLASS_HAS_CHILDREN = 8,
  CLASS_HAS_INSTANCES = 9,
  INVALID_SUPERCLASS = 10,
  ALREADY_EXISTS = 11,
  NO_SUCH_PROPERTY = 12,
  TYPE_MISMATCH = 13,
  QUERY_LANGUAGE_NOT_SUPPORTED = 14,
  INVALID_QUERY = 15,
  METHOD_NOT_AVAILABLE = 16,
  METHOD_NOT_FOUND = 17,
}

/** `CIM_ERR_NOT_FOUND` for {@link CimStatus.NOT_FOUND}: the name clients print. */
export function cimStatusName(code: CimStatus): string {
  return `CIM_ERR_${CimStatus[code] ?? 'FAILED'}`;
}

/** An operation's failure, answered as a CIM error (HTTP 200 with an `<ERROR>` element). */
export class CimError extends Error {
  override readonly name = 'CimError';
  constructor(
    readonly code: CimStatus,
    readonly description: string,
  ) {
    super(`${cimStatusName(code)}: ${description}`);
  }
}

/**
 * A request refused before any operation ran (DSP0200's HTTP-level errors): the HTTP status and the value of
 * the `CIMError` header (`request-not-well-formed`, `request-not-valid`, `header-mismatch`, …).
 */
export class CimProtocolError extends Error {
  override readonly name = 'CimProtocolError';
  constructor(
    readonly httpStatus: number,
    readonly cimError: string,
    readonly detail: string,
  ) {
    super(`${httpStatus} ${cimError}: ${detail}`);
  }
}

/** True for this subpath's own errors (a CimError or a CimProtocolError), which its functions may throw. */
export function isCimError(e: unknown): boolean {
  return e instanceof CimError || e instanceof CimProtocolError;
}
