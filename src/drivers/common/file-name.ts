/**
 * How a domain name becomes the stem of its files (`STEM.xml`, `STEM.json`, `STEM.log`, and the temporary
 * `STEM.xml.tmp-PID-HEX` of an atomic write), and back.
 *
 * A file name component holds at most 255 bytes. The longest suffix a driver adds is `.json.tmp-PID-HEX`:
 * 10 bytes, a pid of up to 7 digits (Linux's pid_max is at most 2^22) and 9 more, so a stem must stay within
 * {@link MAX_FILE_STEM_BYTES} = 229 bytes. Two forms, both read back from the file name alone:
 *
 * - **percent-encoded** (`encodeURIComponent`, a leading `.` as `%2E`): what virtune always wrote. It is kept for
 *   every name whose encoding fits, so existing roots keep their file names.
 * - **raw**, `%%` then the name itself, for names whose encoding would not fit (percent-encoding triples the size
 *   of anything but ASCII letters, digits and `-_.!~*'()`). A name within the 200-byte limit gives at most a
 *   202-byte stem. The percent-encoded form never starts with `%%`, so the two cannot be confused. Only names that
 *   can be file names use it (no `/`, no NUL: domain names never hold either).
 */

/** The longest stem: 255 bytes less the longest suffix (`.json.tmp-` + a 7-digit pid + `-` + 8 hex digits). */
export const MAX_FILE_STEM_BYTES = 255 - '.json.tmp-'.length - 7 - 1 - 8;

const RAW_PREFIX = '%%';

/** The stem virtune wrote before names could be long: percent-encoded, a leading `.` escaped. */
function percentStem(name: string): string {
  return encodeURIComponent(name).replace(/^\./, '%2E');
}

/** The stem of `name`'s files (see the module comment for the two forms). */
export function domainFileStem(name: string): string {
  const encoded = percentStem(name);
  if (Buffer.byteLength(encoded, 'utf8') <= MAX_FILE_STEM_BYTES) return encoded;
  if (name.includes('/') || name.includes('\0')) return encoded;
  return RAW_PREFIX + name;
}

/**
 * Stems `name`'s files may have been written under before: a percent-encoded stem longer than
 * {@link MAX_FILE_STEM_BYTES} was writable by a process with a short pid. A save under the current stem removes
 * these, so a domain never has two definitions on disk.
 */
export function legacyFileStems(name: string): string[] {
  const current = domainFileStem(name);
  const encoded = percentStem(name);
  return encoded !== current && Buffer.byteLength(encoded, 'utf8') <= 255 - '.xml.tmp-'.length - 1 - 1 - 8
    ? [encoded]
    : [];
}

/** The domain name a stem stands for, or undefined when the stem is no stem virtune writes. */
export function domainNameFromStem(stem: string): string | undefined {
  if (stem.startsWith(RAW_PREFIX)) return stem.slice(RAW_PREFIX.length);
  try {
    return decodeURIComponent(stem);
  } catch {
    return undefined;
  }
}
