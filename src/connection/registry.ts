import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { invalidArgument, readList } from '../error-guard.js';
import type { DriverFactory } from '../driver.js';
import type { VirURI } from './uri.js';

type FactoryEntry = DriverFactory | (() => Promise<DriverFactory>);

/** Per scheme, every registration still in force, the newest last: the newest serves, undoing one uncovers the one below. */
const factories = new Map<string, { entry: FactoryEntry }[]>();

/** Options of {@link registerDriver}. */
export interface RegisterDriverOptions {
  /**
   * Replace a driver already registered for one of the schemes (a built-in one included). Without it such a
   * registration is refused: a driver never silently replaces another.
   */
  override?: boolean;
}

/**
 * Registers a driver kind for its URI schemes, so third parties can plug in their own. A loader function defers
 * importing the driver until a URI needs it. A scheme that already has a driver is refused (OPERATION_INVALID)
 * unless `{ override: true }` says to replace it; nothing is registered then.
 *
 * @returns a function that undoes this registration: the scheme goes back to the driver it had before (or to
 *   none). Calling it again does nothing.
 * @example
 * ```ts
 * const undo = registerDriver(['test'], myTestDriver, { override: true });
 * try { ... } finally { undo(); }   // test:/// is libvirt's test driver again
 * ```
 */
export function registerDriver(
  schemes: readonly string[],
  factory: FactoryEntry,
  options: RegisterDriverOptions = {},
): () => void {
  const names = readList(schemes, 'URI schemes', invalidArgument).map((s) => {
    if (typeof s !== 'string') throw invalidArgument('a URI scheme must be a string');
    return s.toLowerCase();
  });
  if (factory === null || (typeof factory !== 'object' && typeof factory !== 'function')) {
    throw invalidArgument('a driver factory must be an object or a function');
  }
  const taken = names.find((s) => (factories.get(s)?.length ?? 0) > 0);
  if (taken !== undefined && options.override !== true) {
    throw new VirError(
      ErrorCode.OPERATION_INVALID,
      ErrorDomain.NONE,
      `a driver is already registered for URI scheme '${taken}'; pass { override: true } to replace it`,
    );
  }
  const mine = names.map((s) => {
    const slot = { entry: factory };
    const stack = factories.get(s) ?? [];
    stack.push(slot);
    factories.set(s, stack);
    return [s, slot] as const;
  });
  return () => {
    for (const [s, slot] of mine) {
      const stack = factories.get(s);
      const i = stack?.indexOf(slot) ?? -1;
      if (i >= 0) stack!.splice(i, 1);
      if (stack?.length === 0) factories.delete(s);
    }
  };
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
  const slot = factories.get(scheme)?.at(-1);
  if (slot === undefined) {
    throw new VirError(ErrorCode.NO_CONNECT, ErrorDomain.NONE, uriText);
  }
  if (typeof slot.entry === 'function') slot.entry = await slot.entry();
  return slot.entry;
}

/** The schemes currently registered. */
export function registeredSchemes(): string[] {
  return [...factories.keys()].sort();
}
