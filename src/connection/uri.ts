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

/** Parses a connection URI; a malformed one is VIR_ERR_INVALID_ARG like libvirt's virURIParse failure. */
export function parseURI(text: string): VirURI {
  const m = /^([A-Za-z][A-Za-z0-9.-]*)(?:\+([A-Za-z0-9.-]+))?:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(text);
  if (!m) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.URI, `Unable to parse URI ${text}`);
  }
  const params = new Map<string, string>();
  for (const part of (m[5] ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const v = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    params.set(k, v);
  }
  return {
    text,
    scheme: m[1]!.toLowerCase(),
    ...(m[2] ? { transport: m[2].toLowerCase() } : {}),
    host: m[3] ?? '',
    path: decodeURIComponent(m[4] ?? ''),
    params,
  };
}
