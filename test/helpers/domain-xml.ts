/**
 * A small domain document of the test driver named `name`, with `extra` (raw XML) inside `<domain>`. The name is
 * not escaped: tests of odd names pass them as they want them to appear.
 */
export function domainXML(name: string, extra = ''): string {
  // An older helper took (extra, name): a swapped call would build a document that fails for the wrong reason.
  if (name.startsWith('<')) throw new Error(`domainXML(name, extra): '${name.slice(0, 20)}…' is XML, not a name`);
  return `<domain type='test'><name>${name}</name><memory>1048576</memory><os><type>hvm</type></os>${extra}</domain>`;
}
