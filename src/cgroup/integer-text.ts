import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/**
 * A decimal integer read from a cgroup file (only `-` and digits; a sign only when `signed`), or libvirt's
 * parse error naming the file.
 */
export function parseCgroupInteger(text: string, file: string, signed = false): bigint {
  if (!(signed ? /^-?\d+$/ : /^\d+$/).test(text)) {
    throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.CGROUP, `Unable to parse '${text}' as an integer in '${file}'`);
  }
  return BigInt(text);
}
