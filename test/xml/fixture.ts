import { readFileSync } from 'node:fs';

/** A fixture from test/xml/fixtures. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}
