import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { DriverFactory } from '../driver.js';

const factories = new Map<string, DriverFactory | (() => Promise<DriverFactory>)>();

/**
 * Registers a driver kind for its URI schemes; a later registration for the same scheme replaces the earlier one,
 * so third parties can plug in their own. A loader function defers importing the driver until a URI needs it.
 */
export function registerDriver(schemes: readonly string[], factory: DriverFactory | (() => Promise<DriverFactory>)): void {
  for (const s of schemes) factories.set(s.toLowerCase(), factory);
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
