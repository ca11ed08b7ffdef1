import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/** A parsed libvirt connection URI: `driver[+transport]://[host]/path?query`. */
export interface VirURI {
  /** The whole URI as given. */
  readonly text: string;
  /** Scheme without transport (`test`, `qemu`, `lxc`). */
  readonly scheme: string;
  readonly transport?: string;
  readonly host: string;
  /** The path, `/default`, `/system`, `/embed`, `/abs/file.xml`. */
  readonly path: string;
  readonly params: ReadonlyMap<string, string>;
}

/** Parses a connection URI; a malformed one is libvirt's virURIParse failure (INTERNAL_ERROR, error domain URI). */
export function parseURI(text: string): VirURI {
  const m = /^([A-Za-z][A-Za-z0-9.-]*)(?:\+([A-Za-z0-9.-]+))?:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(text);
  if (!m) {
    throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.URI, `Unable to parse URI ${text}`);
  }
  // A malformed escape (`%zz`) is a URI libvirt cannot parse either, not a URIError.
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.URI, `Unable to parse URI ${text}`);
    }
  };
  const params = new Map<string, string>();
  for (const part of (m[5] ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    params.set(decode(eq < 0 ? part : part.slice(0, eq)), decode(eq < 0 ? '' : part.slice(eq + 1)));
  }
  return {
    text,
    scheme: m[1]!.toLowerCase(),
    ...(m[2] ? { transport: m[2].toLowerCase() } : {}),
    host: m[3] ?? '',
    path: decode(m[4] ?? ''),
    params,
  };
}
