// Defines N small domains on test:///default in a fresh process and prints its memory figures as JSON:
// the resident set before and after (after a full GC) and the peak (VmHWM). Run by bench/suites/memory.js with
// --expose-gc so both readings are of live data, not garbage.
import { readFileSync } from 'node:fs';
import { smallDomainDocs } from '../lib/fixtures.js';
import { loadVirtune } from '../lib/virtune.js';

const n = Number(process.argv[2]);
/** As bench/reference/libvirt_worker.py's SETTLE_ROUNDS and SETTLE_SECONDS. */
const SETTLE_ROUNDS = 3;
const SETTLE_MS = 100;
const { virtune, missing } = await loadVirtune();
if (!virtune) {
  process.stdout.write(`${JSON.stringify({ error: missing })}\n`);
  process.exit(0);
}
// Flat texts, as Python's `str.replace` and a file read give them. `String.replace` gives V8 ropes (cons strings),
// which V8 flattens into a copy the first time anything reads them: the copy (~560 bytes a document) would be
// the bench's input counted as virtune's, since the bench keeps its documents. Slices of one joined text are flat
// without allocating a copy each (the joined text goes to V8's large-object space, not the young generation).
const docs = smallDomainDocs(n).join('\0').split('\0');
const conn = await virtune.openConnection('test:///default');
try {
  // libvirt has all its code loaded once the connection is open; load virtune's XML code too before the baseline.
  await conn.lookupDomainByName('test');
  virtune.parseDomainXML?.(docs[0]);
  globalThis.gc();
  const before = process.memoryUsage().rss;
  // Keep the handles, as the Python side keeps its virDomain objects.
  const handles = [];
  for (const doc of docs) handles.push(await conn.defineDomainXML(doc, 0));
  globalThis.gc();
  const after = process.memoryUsage().rss;
  const peakKiB = statusKiB('VmHWM');
  // The same reading once the process has settled: V8 grew its young generation for the burst of defines (to
  // 32 MiB with Node 20's defaults, however little is kept) and gives those pages back over the next collections,
  // not in the first one.
  for (let i = 0; i < SETTLE_ROUNDS; i++) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    globalThis.gc();
  }
  const settled = process.memoryUsage().rss;
  // `docs` is read after the readings so that it stays alive through them, as the Python side's list does.
  process.stdout.write(`${JSON.stringify({ beforeKiB: before / 1024, afterKiB: after / 1024, settledKiB: settled / 1024, peakKiB, count: handles.length, documents: docs.length })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: `${err.message}${typeof err.code === 'number' ? ` (VirError code ${err.code})` : ''}` })}\n`);
}
await conn.close();

/** A figure from /proc/self/status; VmHWM rather than maxRSS, which carries over the forking parent's peak. */
function statusKiB(field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/self/status`);
  return Number(m[1]);
}
