import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { DriverFactory } from '../driver.js';
import type { VirURI } from './uri.js';

const factories = new Map<string, DriverFactory | (() => Promise<DriverFactory>)>();

/**
 * Registers a driver kind for its URI schemes; a later registration for the same scheme replaces the earlier one,
 * so third parties can plug in their own. A loader function defers importing the driver until a URI needs it.
 */
export function registerDriver(schemes: readonly string[], factory: DriverFactory | (() => Promise<DriverFactory>)): void {
  for (const s of schemes) factories.set(s.toLowerCase(), factory);
}

let remote: DriverFactory | (() => Promise<DriverFactory>) | undefined;

/** Registers the driver that serves every URI naming a transport or a host (libvirt's remote driver). */
export function registerRemoteDriver(factory: DriverFactory | (() => Promise<DriverFactory>)): void {
  remote = factory;
}

/**
 * The factory for a parsed URI. As in libvirt, a transport (`test+unix:///default`) or a host
 * (`qemu+ssh://h/system`, `test+tcp://h/default`) sends it to the remote driver, whatever the scheme;
 * anything else goes by scheme.
 */
export async function findDriverForURI(uri: VirURI): Promise<DriverFactory> {
  if ((uri.transport !== undefined || uri.host !== '') && remote !== undefined) {
    if (typeof remote === 'function') remote = await remote();
    return remote;
  }
  return findDriver(uri.scheme, uri.text);
}

/** The factory for a scheme, loading it on first use. */
export async function findDriver(scheme: string, uriText: string): Promise<DriverFactory> {
  const entry = factories.get(scheme);
  if (entry === undefined) {
    throw new VirError(ErrorCode.NO_CONNECT, ErrorDomain.NONE, uriText);
  }
  if (typeof entry === 'function') {
    const loaded = await entry();
    factories.set(scheme, loaded);
    return loaded;
  }
  return entry;
}

/** The schemes currently registered. */
export function registeredSchemes(): string[] {
  return [...factories.keys()].sort();
}
