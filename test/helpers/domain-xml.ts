/** A minimal domain of the test driver, with `extra` inside `<domain>`. */
export function domainXML(name: string, extra = ''): string {
  return `<domain type='test'><name>${name}</name><memory>1048576</memory><os><type>hvm</type></os>${extra}</domain>`;
}
