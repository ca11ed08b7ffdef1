import { ErrorCode, VirError } from '../errors.js';
import { CimError, CimStatus } from './status.js';

/** The CIM status that best says what a libvirt error code says. */
const STATUS_BY_CODE: ReadonlyMap<ErrorCode, CimStatus> = new Map([
  [ErrorCode.NO_DOMAIN, CimStatus.NOT_FOUND],
  [ErrorCode.INVALID_ARG, CimStatus.INVALID_PARAMETER],
  [ErrorCode.OVERFLOW, CimStatus.INVALID_PARAMETER],
  [ErrorCode.NO_SUPPORT, CimStatus.NOT_SUPPORTED],
  [ErrorCode.ARGUMENT_UNSUPPORTED, CimStatus.NOT_SUPPORTED],
  [ErrorCode.CONFIG_UNSUPPORTED, CimStatus.NOT_SUPPORTED],
  [ErrorCode.OPERATION_UNSUPPORTED, CimStatus.NOT_SUPPORTED],
  [ErrorCode.OPERATION_DENIED, CimStatus.ACCESS_DENIED],
  [ErrorCode.ACCESS_DENIED, CimStatus.ACCESS_DENIED],
]);

/**
 * A failure of the library as a CIM error: libvirt's message is the description, prefixed with the libvirt code
 * name so a CIM client sees both vocabularies (`VIR_ERR_INVALID_ARG: invalid argument: …`). Anything that is
 * not a VirError is CIM_ERR_FAILED.
 */
export function cimErrorFrom(e: unknown): CimError {
  if (e instanceof CimError) return e;
  if (e instanceof VirError) {
    const status = STATUS_BY_CODE.get(e.code) ?? CimStatus.FAILED;
    return new CimError(status, `VIR_ERR_${ErrorCode[e.code] ?? e.code}: ${e.message}`);
  }
  return new CimError(CimStatus.FAILED, e instanceof Error ? e.message : String(e));
}
