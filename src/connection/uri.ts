import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/** A parsed libvirt connection URI: `driver[+transport]://[host]/path?query`. */
export interface VirURI {
  /** The whole URI as given (with `//` added when it had no host part, as libvirt prints it). */
  readonly text: string;
  /** Scheme without transport (`test`, `qemu`, `lxc`). */
  readonly scheme: string;
  readonly transport?: string;
  readonly host: string;
  /** The path, `/default`, `/system`, `/embed`, `/abs/file.xml`. */
  readonly path: string;
  readonly params: ReadonlyMap<string, string>;
}

/**
 * Parses a connection URI as libvirt's virURIParse (libxml2) does: the `//host` part is optional (`test:/default`
 * is `test:///default`), a fragment is allowed, and the scheme keeps its case (libvirt's drivers match it exactly).
 * A malformed one is INTERNAL_ERROR (error domain URI); a relative reference such as `default` parses but names
 * no driver (NO_CONNECT, as virConnectOpen reports it).
 */
export function parseURI(text: string): VirURI {
  // Not String(text): joining an array-like of length 2^32 - 1 would take minutes.
  if (typeof text !== 'string') throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, 'URI must be a string');
  const m = /^([A-Za-z][A-Za-z0-9.-]*)(?:\+([A-Za-z0-9.-]+))?:(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/.exec(text);
  if (!m) {
    if (/^[^\s:]+$/.test(text) || /^[^\s:]*[/?#]/.test(text)) {
      throw new VirError(ErrorCode.NO_CONNECT, ErrorDomain.NONE, `URI '${text}' does not include a driver name`);
    }
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
  // Without `//`, libvirt prints the URI with an empty host (`test:/default` becomes `test:///default`).
  const noAuthority = m[3] === undefined && (m[4] === '' || m[4]!.startsWith('/'));
  return {
    text: noAuthority ? text.replace(/^([^:]*):/, '$1://') : text,
    scheme: m[1]!,
    ...(m[2] ? { transport: m[2].toLowerCase() } : {}),
    host: m[3] ?? '',
    path: decode(m[4] ?? ''),
    params,
  };
}
