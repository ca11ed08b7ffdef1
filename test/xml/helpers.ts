import { readFileSync } from 'node:fs';

/** The VirError `f` throws (fails the test when it throws something else or nothing). */
export { virErrorOf } from '../helpers/vir-error.js';

/** A fixture from test/xml/fixtures. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** A small domain document with `extra` inside `<domain>`. */
export function domainXML(extra = '', name = 'vm1'): string {
  return `<domain type='test'><name>${name}</name><memory>1048576</memory><os><type>hvm</type></os>${extra}</domain>`;
}
