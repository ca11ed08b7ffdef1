import { createRequire } from 'node:module';
import type * as Libxml from 'libxmljs2';

let loaded: typeof Libxml | undefined;

/**
 * libxmljs2, loaded on first use. It is a native addon (libxml2) and the costliest module virtune has: a program
 * that never parses or validates a document (the test driver's default domain, typed parameters, the CLI's common
 * commands) never loads it. `require` keeps the load synchronous, as the parsing functions are.
 */
export function libxml(): typeof Libxml {
  loaded ??= createRequire(import.meta.url)('libxmljs2') as typeof Libxml;
  return loaded;
}
