// The hostile domain documents of issue 11 item 2 and the worst cases found within virtune's XML limits
// (docs/reliability.md, "Bounded work on hostile input"): what `npm run bench:hostile` times. Each is built on
// demand (several are 9-10 MB).

const domain = (inside, rootAttrs = '') =>
  `<domain type='test'${rootAttrs}><name>vm1</name><memory>1048576</memory><os><type>hvm</type></os>${inside}</domain>`;
const attrs = (n) => Array.from({ length: n }, (_, i) => ` a${i}='x'`).join('');
/** `n` empty elements in groups of 4,999 under `<g>` (each group one node more: its `<g>`). */
const grouped = (n) => {
  let out = '';
  for (let left = n; left > 0; left -= 5000) out += `<g>${'<m/>'.repeat(Math.min(4999, left - 1))}</g>`;
  return out;
};
/** Fills a document made by `make(n)` with a run of `n` characters, to `bytes` in all. */
const filled = (bytes, make) => make(bytes - make(0).length);

const MB9 = 9 * 1000 * 1000;
const MIB10 = 10 * 1024 * 1024;

/** id (the bench row's name), what it is, what it took before (for the report), and the document. */
export const HOSTILE_DOCUMENTS = [
  { id: 'metadata-40k', name: '40,000 <m/> in <metadata>', was: '1.6 s', make: () => domain(`<metadata>${'<m/>'.repeat(40_000)}</metadata>`) },
  { id: 'metadata-80k', name: '80,000 <m/> in <metadata>', was: '6.6 s', make: () => domain(`<metadata>${'<m/>'.repeat(80_000)}</metadata>`) },
  { id: 'consoles-300k', name: '300,000 <console type="pty"/> in <devices>', was: '128 s', make: () => domain(`<devices>${'<console type="pty"/>'.repeat(300_000)}</devices>`) },
  { id: 'domain-attrs-40k', name: '40,000 attributes on <domain>', was: '2-6 s', make: () => domain('', attrs(40_000)) },
  { id: 'consoles-5000', name: '5,000 <console> in <devices>', make: () => domain(`<devices>${'<console type="pty"/>'.repeat(5000)}</devices>`) },
  { id: 'boots-4990', name: '4,990 <boot> in <os>', make: () => domain('').replace('</os>', `${"<boot dev='hd'/>".repeat(4990)}</os>`) },
  { id: 'boots-4990-os-attrs', name: 'the same with 256 attributes on <os>', was: '404 s', make: () => domain('').replace('<os>', `<os${attrs(256)}>`).replace('</os>', `${"<boot dev='hd'/>".repeat(4990)}</os>`) },
  { id: 'metadata-99950', name: '99,950 <m/> in groups of 4,999', make: () => domain(`<metadata>${grouped(99_950)}</metadata>`) },
  { id: 'attrs-388x256', name: '388 elements of 256 attributes each', make: () => domain(`<metadata>${`<g${attrs(256)}/>`.repeat(388)}</metadata>`) },
  { id: 'crlf-text-9mb', name: '9 MB text of CR LF', was: '3.4 s', make: () => filled(MB9, (n) => domain(`<description>${'\r\n'.repeat(n / 2)}</description>`)) },
  { id: 'tab-attr-9mb', name: '9 MB attribute value of tabs', was: '5.1 s', make: () => filled(MB9, (n) => domain(`<metadata><m a='${'\t'.repeat(n)}'/></metadata>`)) },
  { id: 'cdata-9mb', name: '9 MB CDATA', make: () => filled(MB9, (n) => domain(`<metadata><m><![CDATA[${'x'.repeat(n)}]]></m></metadata>`)) },
  // Found while making the 9 MB cases cheaper: removed from the schema's view one line at a time (4.5 M matches of
  // a global replace), and escaped for the validation cache's key 150 attributes at a time.
  { id: 'metadata-lines-9mb', name: '9 MB of short lines in <metadata>', was: '0.75 s CPU', make: () => filled(MB9, (n) => domain(`<metadata><m>${'a\n'.repeat(n / 2)}</m></metadata>`)) },
  { id: 'quote-attrs-150x60k', name: '150 attributes of 60,000 quotes in <metadata>', was: '0.6 s CPU', make: () => domain(`<metadata><m${Array.from({ length: 150 }, (_, i) => ` a${i}='${'"'.repeat(60_000)}'`).join('')}/></metadata>`) },
  { id: 'metadata-lone-cr-9mb', name: '9 MB of lone CRs in <metadata>', make: () => filled(MB9, (n) => domain(`<metadata><m>${'\r'.repeat(n)}</m></metadata>`)) },
  { id: 'one-line-10mib', name: '10 MiB text on one line', was: '8 s', make: () => filled(MIB10, (n) => domain(`<description>${'x'.repeat(n)}</description>`)) },
];
