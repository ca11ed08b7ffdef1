import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/**
 * Reads a UUID the way libvirt's virUUIDParse does: 32 hex digits, optionally separated by '-' anywhere, with
 * surrounding white space; returns the canonical lower-case 8-4-4-4-12 form.
 *
 * @throws VirError INTERNAL_ERROR `malformed uuid element`.
 */
export function parseUUID(text: string): string {
  const hex = text.trim().replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
    throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.DOMAIN, 'malformed uuid element');
  }
  const h = hex.toLowerCase();
  // join makes one flat string; a template literal makes a tree of concatenations that a stored definition keeps.
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
}

/** A fresh random UUID for a definition without one, as libvirt generates. */
export function generateUUID(): string {
  // The global Web Crypto object rather than an import of node:crypto: that module pulls in some thirty internal
  // modules (streams, ciphers, ...) at import time, which every parseUUID user would pay for on the CLI's cold start.
  return globalThis.crypto.randomUUID();
}
