/**
 * Which document shapes passed schemas/cim-xml.rng before. libxmljs2 compiles a RelaxNG schema at every
 * validation (a few ms for this one), while a client sends the same few shapes of request over and over with other
 * values. The shape is everything the schema looks at: element names and nesting, attribute names, the values of
 * the attributes the schema constrains (TYPE, VALUETYPE, PROPAGATED, CODE), and where non-blank text stands; not
 * the free text and attribute values, which the schema accepts whatever they are.
 */
import type { Element } from 'libxmljs2';

const CONSTRAINED = new Set(['TYPE', 'VALUETYPE', 'PROPAGATED', 'CODE']);
const MAX_SHAPES = 512;
const known = new Set<string>();

/** The shape of the tree under `el`, as a string key. */
export function shapeKey(el: Element): string {
  let key = `<${el.name()}`;
  for (const a of el.attrs()) {
    const name = a.namespace() ? `${a.namespace()!.prefix()}:${a.name()}` : a.name();
    key += CONSTRAINED.has(name) ? ` ${name}=${JSON.stringify(a.value())}` : ` ${name}`;
  }
  key += '>';
  for (const n of el.childNodes()) {
    const type: string = n.type();
    if (type === 'element') key += shapeKey(n as Element);
    else if ((type === 'text' || type === 'cdata') && (n as unknown as { text(): string }).text().trim() !== '') key += '#';
    else if (type !== 'text' && type !== 'comment') key += `?${type}`;
  }
  return `${key}</>`;
}

/** Whether a document of this shape was valid before. */
export function isKnownValidShape(key: string): boolean {
  return known.has(key);
}

/** Remembers a valid shape; the set is bounded (cleared when full), so hostile variety costs only revalidation. */
export function rememberValidShape(key: string): void {
  if (known.size >= MAX_SHAPES) known.clear();
  known.add(key);
}
