import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { MAX_DOMAIN_NAME_BYTES } from './limits.js';

// Control characters (C0, DEL, C1: Unicode's Cc, as schemas/domain.rng); unprintable and unsafe in paths and logs.
const CONTROL_CHARS = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks that a domain name can safely become a file and cgroup path component.
 * libvirt itself only rejects an empty name and '/'; virtune also rejects a leading '.', control characters and
 * names longer than {@link MAX_DOMAIN_NAME_BYTES} bytes.
 *
 * @throws VirError NO_NAME for an empty name, XML_ERROR (VIR_FROM_DOMAIN) otherwise.
 */
export function checkDomainName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new VirError(ErrorCode.NO_NAME, ErrorDomain.DOMAIN);
  }
  if (name.includes('/')) {
    throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, `name ${name} cannot contain '/'`);
  }
  if (CONTROL_CHARS.test(name)) {
    throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, `name ${JSON.stringify(name)} cannot contain control characters`);
  }
  if (name.startsWith('.')) {
    throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, `name ${name} cannot start with '.'`);
  }
  if (LONE_SURROGATE.test(name)) {
    throw new VirError(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, `name ${JSON.stringify(name)} is not valid Unicode`);
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_DOMAIN_NAME_BYTES) {
    throw new VirError(
      ErrorCode.XML_ERROR,
      ErrorDomain.DOMAIN,
      `name is too long: ${bytes} bytes, at most ${MAX_DOMAIN_NAME_BYTES} allowed`,
    );
  }
}
