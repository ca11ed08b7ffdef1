import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import type { DriverFactory } from '../../driver.js';
import { loadDefaultDomains } from './load.js';
import { createTestDriver } from './test-driver.js';

/**
 * `test:///default` (one running domain `test`, id 1) and `test:///ABSOLUTE/PATH.xml` (domains from a file).
 * Every connection gets its own state: nothing one connection changes is seen by another.
 */
export const testDriverFactory: DriverFactory = {
  schemes: ['test'],
  async open(uri, options) {
    if (uri.host !== '' || uri.transport !== undefined) {
      throw new VirError(ErrorCode.NO_CONNECT, ErrorDomain.NONE, uri.text);
    }
    const domains = uri.path === '/default' ? loadDefaultDomains() : await loadFromPath(uri.path);
    return createTestDriver(domains, options.emit);
  },
};

async function loadFromPath(path: string) {
  if (path === '' || path === '/') {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.TEST, 'testOpen: supply a path or use test:///default');
  }
  // Loaded on demand: file URIs need libxmljs2, test:///default does not.
  const { loadDomainsFromFile } = await import('./load-file.js');
  return loadDomainsFromFile(path);
}
