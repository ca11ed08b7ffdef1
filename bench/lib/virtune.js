import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built library the bench measures: ../dist/index.js (`npm run bench` builds it first). */
export const DIST_INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Loads virtune from dist/, or returns the reason it cannot. */
export async function loadVirtune() {
  if (!existsSync(DIST_INDEX)) return { virtune: null, missing: 'dist/index.js is missing: run npm run build' };
  try {
    return { virtune: await import(DIST_INDEX), missing: null };
  } catch (err) {
    return { virtune: null, missing: `dist/index.js failed to load: ${err.message}` };
  }
}

/** Opens a connection, runs `fn(conn)` and closes it, whatever happens. */
export async function withConnection(virtune, uri, fn) {
  const conn = await virtune.openConnection(uri);
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

/** A ULLONG memory parameter, as callers of the library write it. */
export function ullongParam(virtune, field, value) {
  return { field, type: virtune.TypedParameterType.ULLONG, value };
}
