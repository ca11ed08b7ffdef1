import { readFileSync } from 'node:fs';

const dir = new URL('../fixtures/', import.meta.url);

/** A full real-world domain definition (disks, network, graphics, metadata) that libvirt's schema accepts. */
export const REALISTIC_DOMAIN_XML = readFileSync(new URL('realistic-domain.xml', dir), 'utf8');

/**
 * The realistic domain, changed for the i-th define so no cache keyed on the text can answer for the work
 * (bench/reference/libvirt_worker.py makes the same changes). Callers take `i` from {@link nextVariants}, so no
 * document repeats within a run:
 * - `description`: ` #i` appended to the description, a value virtune's validation cache knows to be valid
 *   whatever it holds, so the document keeps its shape (a fleet of domains from one template);
 * - `mac`: another MAC address, text the cache keeps verbatim, so every document is a new shape;
 * - `machine`: another `<type machine=...>` of `<os>`, a value the schema takes as any text (issue 18's "every
 *   document a new shape": the cache now proves such values valid and leaves them out of the shape).
 */
export function realisticDomainVariant(i, vary = 'description') {
  if (vary === 'mac') return REALISTIC_DOMAIN_XML.replace('52:54:00:6b:3c:58', macFor(i));
  if (vary === 'machine') return REALISTIC_DOMAIN_XML.replace("machine='pc'", `machine='pc-${i}'`);
  return REALISTIC_DOMAIN_XML.replace('</description>', ` #${i}</description>`);
}

let variantCounter = 0;

/** Reserves `n` variant numbers no earlier call has used in this process; returns the first. */
export function nextVariants(n) {
  const first = variantCounter;
  variantCounter += n;
  return first;
}

function macFor(i) {
  const hex = (i & 0xffffff).toString(16).padStart(6, '0');
  return `52:54:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}

/** The small domain both sides define by the thousand; @NAME@ and @UUID@ are filled in per domain. */
export const SMALL_DOMAIN_TEMPLATE = readFileSync(new URL('small-domain.xml', dir), 'utf8');
export const SMALL_DOMAIN_TEMPLATE_PATH = new URL('small-domain.xml', dir).pathname;

/** The same names and UUIDs the Python worker generates (bench/reference/libvirt_worker.py). */
export function smallDomainName(i) {
  return `bench-${i}`;
}
export function smallDomainUUID(i) {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}
export function smallDomainDocs(n) {
  const docs = new Array(n);
  for (let i = 0; i < n; i++) {
    docs[i] = SMALL_DOMAIN_TEMPLATE.replace('@NAME@', smallDomainName(i)).replace('@UUID@', smallDomainUUID(i));
  }
  return docs;
}

/** The `<memtune>` element alone, as item 3 parses, formats and validates it. */
export const MEMTUNE_XML = `<memtune>
  <hard_limit unit='KiB'>4718592</hard_limit>
  <soft_limit unit='KiB'>3145728</soft_limit>
  <swap_hard_limit unit='KiB'>5242880</swap_hard_limit>
</memtune>`;
