import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** virtune's own version, from package.json (two levels above dist/cli and src/cli alike). */
export function packageVersion(): string {
  if (cached === undefined) {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    cached = (JSON.parse(text) as { version: string }).version;
  }
  return cached;
}
