import { ErrorCode } from './error-codes.js';

/**
 * How libvirt words each error code: the text used without detail, and the template used with one
 * (`%s` stands for the detail). Only codes virtune raises are listed; others fall back to the bare detail.
 */
export const ERROR_MESSAGES: Partial<Record<ErrorCode, readonly [bare: string, withInfo: string]>> = {
  [ErrorCode.INTERNAL_ERROR]: ['internal error', 'internal error: %s'],
  [ErrorCode.NO_MEMORY]: ['out of memory', 'out of memory: %s'],
  [ErrorCode.NO_SUPPORT]: [
    'this function is not supported by the connection driver',
    'this function is not supported by the connection driver: %s',
  ],
  [ErrorCode.NO_CONNECT]: ['no connection driver available', 'no connection driver available for %s'],
  [ErrorCode.INVALID_CONN]: ['invalid connection pointer in', 'invalid connection pointer in %s'],
  [ErrorCode.INVALID_DOMAIN]: ['invalid domain pointer in', 'invalid domain pointer in %s'],
  [ErrorCode.INVALID_ARG]: ['invalid argument', 'invalid argument: %s'],
  [ErrorCode.OPERATION_FAILED]: ['operation failed', 'operation failed: %s'],
  [ErrorCode.OS_TYPE]: ['unknown OS type', 'unknown OS type %s'],
  [ErrorCode.NO_NAME]: ['missing name information', 'missing name information in %s'],
  [ErrorCode.XML_ERROR]: ['XML description is invalid or not well formed', 'XML error: %s'],
  [ErrorCode.DOM_EXIST]: ['this domain exists already', 'domain %s exists already'],
  [ErrorCode.OPERATION_DENIED]: ['operation forbidden for read only access', 'operation forbidden: %s'],
  [ErrorCode.OPEN_FAILED]: ['failed to open configuration file', 'failed to open configuration file %s'],
  [ErrorCode.READ_FAILED]: ['failed to read configuration file', 'failed to read configuration file %s'],
  [ErrorCode.WRITE_FAILED]: ['failed to write configuration file', 'failed to write configuration file: %s'],
  [ErrorCode.XML_DETAIL]: ['parser error', '%s'],
  [ErrorCode.SYSTEM_ERROR]: ['system call error', '%s'],
  [ErrorCode.RPC]: ['RPC error', '%s'],
  [ErrorCode.NO_DOMAIN]: ['Domain not found', 'Domain not found: %s'],
  [ErrorCode.OPERATION_INVALID]: ['Requested operation is not valid', 'Requested operation is not valid: %s'],
  [ErrorCode.CONFIG_UNSUPPORTED]: ['unsupported configuration', 'unsupported configuration: %s'],
  [ErrorCode.OPERATION_TIMEOUT]: ['Timed out during operation', 'Timed out during operation: %s'],
  [ErrorCode.ARGUMENT_UNSUPPORTED]: ['argument unsupported', 'argument unsupported: %s'],
  [ErrorCode.OPERATION_ABORTED]: ['operation aborted', 'operation aborted: %s'],
  [ErrorCode.OVERFLOW]: ['numerical overflow', 'numerical overflow: %s'],
  [ErrorCode.OPERATION_UNSUPPORTED]: ['Operation not supported', 'Operation not supported: %s'],
  [ErrorCode.RESOURCE_BUSY]: ['resource busy', 'resource busy: %s'],
  [ErrorCode.ACCESS_DENIED]: ['access denied', 'access denied: %s'],
  [ErrorCode.XML_INVALID_SCHEMA]: [
    'XML document failed to validate against schema',
    'XML document failed to validate against schema: %s',
  ],
  [ErrorCode.MULTIPLE_DOMAINS]: ['multiple matching domains found', 'multiple matching domains found: %s'],
};

/** libvirt's full message for `code`, with `info` put in its template (virErrorMsg + the detail). */
export function formatErrorMessage(code: ErrorCode, info?: string): string {
  const tuple = ERROR_MESSAGES[code];
  if (!tuple) return info ?? `unknown error (code ${code})`;
  // A function replacement: the detail is user text, and `$'` or `$&` in it must not act as patterns.
  return info === undefined ? tuple[0] : tuple[1].replace('%s', () => info);
}
