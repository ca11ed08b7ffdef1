import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { MAX_DOMAIN_NAME_BYTES } from './limits.js';

// Control characters (C0, DEL, C1: Unicode's Cc, as schemas/domain.rng); unprintable and unsafe in paths and logs.
const CONTROL_CHARS = /\p{Cc}/u;
/**
 * Invisible characters that make one name look like another or reorder the text around it when printed
 * ("Trojan Source"): the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
 * directional marks (U+200E, U+200F, U+061C), and the zero-width space, non-joiner, joiner, word joiner and
 * byte order mark (U+200B–U+200D, U+2060, U+FEFF).
 */
const INVISIBLE_CHARS = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// What quoteName writes as an escape: everything unprintable or invisible, the quote and the backslash.
const NEEDS_ESCAPE = /[\p{Cc}\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF"\\]|[\uD800-\uDFFF]/gu;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };

function codeOf(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A name in double quotes with every character that would not show as itself escaped (`\r`, `\n`, `\t`,
 * `\u202e`, ...), so an error message shows exactly which characters a name holds and never lets one reorder
 * or hide the text around it.
 */
export function quoteName(name: string): string {
  const body = name.replace(NEEDS_ESCAPE, (ch) =>
    SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${body}"`;
}

function nameError(info: string): VirError {
  return new VirError(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, info);
}

/**
 * Checks that a domain name can safely become a file and cgroup path component.
 * libvirt itself only rejects an empty name, '/' and a line feed; virtune also rejects a leading '.', every
 * control character, invisible formatting characters (bidirectional controls, zero-width characters) and names
 * longer than {@link MAX_DOMAIN_NAME_BYTES} bytes.
 *
 * @param asWritten the name as the document wrote it, when that differs (XML reads a CR in text as a line feed):
 *   error messages quote this, so they show what the user wrote.
 * @throws VirError NO_NAME for an empty name, XML_ERROR (VIR_FROM_DOMAIN) otherwise.
 */
export function checkDomainName(name: string, asWritten: string = name): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new VirError(ErrorCode.NO_NAME, ErrorDomain.DOMAIN);
  }
  if (LONE_SURROGATE.test(name)) throw nameError(`name ${quoteName(asWritten)} is not valid Unicode`);
  if (CONTROL_CHARS.test(name)) throw nameError(`name ${quoteName(asWritten)} cannot contain control characters`);
  const invisible = INVISIBLE_CHARS.exec(name);
  if (invisible) {
    throw nameError(
      `name ${quoteName(asWritten)} cannot contain invisible or bidirectional formatting characters (${codeOf(invisible[0])})`,
    );
  }
  // libvirt's own check and words; the name is printed as is, which is safe once the checks above passed.
  if (name.includes('/')) throw nameError(`name ${asWritten} cannot contain '/'`);
  if (name.startsWith('.')) throw nameError(`name ${asWritten} cannot start with '.'`);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_DOMAIN_NAME_BYTES) {
    throw nameError(`name is too long: ${bytes} bytes, at most ${MAX_DOMAIN_NAME_BYTES} allowed`);
  }
}
