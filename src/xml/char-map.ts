/**
 * Character replacement in time and memory linear in the text, however many characters match.
 *
 * `String.prototype.replace` with a global pattern allocates for every match; on a 10 MiB text that is all
 * matches (a description of quotes, a value of tabs, CR LF line ends) it takes seconds, mostly in the garbage
 * collector. Short texts, the usual case, keep using `replace`; long ones are mapped code unit by code unit into
 * a typed array, which node turns back into a string natively.
 */
import { Buffer } from 'node:buffer';
import { endianness } from 'node:os';

/** Below this length the plain `replace` is faster. */
const SHORT = 1024;
const CHUNK = 8192;
/** A Uint16Array's bytes are UTF-16LE on this machine (every platform node runs on but s390x and ppc64 BE). */
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * `units[0, length)` as a string. Node decodes UTF-16LE in one native pass (lone surrogates kept as they are);
 * String.fromCharCode over chunks builds a rope of 8 KiB pieces that is flattened later, several times slower.
 */
function fromCodeUnits(units: Uint16Array, length: number): string {
  if (LITTLE_ENDIAN) return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('utf16le');
  let out = '';
  for (let i = 0; i < length; i += CHUNK) {
    out += String.fromCharCode.apply(null, units.subarray(i, Math.min(i + CHUNK, length)) as unknown as number[]);
  }
  return out;
}

/**
 * What a pattern replaces, by code unit (the keys are ASCII): `strings[c]` the replacement of `c`, and when every
 * replacement is a single code unit, `single[c]` that code unit (0: kept), for a one-pass map.
 */
interface CodeTable {
  readonly strings: readonly (string | undefined)[];
  readonly lengths: Uint8Array;
  readonly single: Uint16Array | undefined;
}

const codeTables = new WeakMap<RegExp, CodeTable>();

/** The entries of `table` that `pattern` matches, indexed by code unit. */
function codesOf(pattern: RegExp, table: Readonly<Record<string, string>>): CodeTable {
  let codes = codeTables.get(pattern);
  if (!codes) {
    const one = new RegExp(pattern.source, pattern.flags.replace('g', ''));
    const strings = new Array<string | undefined>(128).fill(undefined);
    const lengths = new Uint8Array(128).fill(1);
    let single: Uint16Array | undefined = new Uint16Array(128);
    for (const [k, v] of Object.entries(table)) {
      if (!one.test(k)) continue;
      const c = k.charCodeAt(0);
      strings[c] = v;
      lengths[c] = v.length;
      if (v.length !== 1 || v.charCodeAt(0) === 0) single = undefined;
      else if (single) single[c] = v.charCodeAt(0);
    }
    codes = { strings, lengths, single };
    codeTables.set(pattern, codes);
  }
  return codes;
}

/**
 * `s` with each code unit that `table` names replaced by its string. `pattern` must match exactly those code
 * units (a global character class): it is the short-text path.
 */
export function replaceCodeUnits(s: string, pattern: RegExp, table: Readonly<Record<string, string>>): string {
  if (s.length < SHORT) return s.replace(pattern, (c) => table[c]!);
  const { strings, lengths, single } = codesOf(pattern, table);
  if (single) {
    // One code unit for one: a single pass, the output as long as the input.
    const out = new Uint16Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      out[i] = c < 128 && single[c] !== 0 ? single[c]! : c;
    }
    return fromCodeUnits(out, s.length);
  }
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    length += c < 128 ? lengths[c]! : 1;
  }
  const out = new Uint16Array(length);
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const r = c < 128 ? strings[c] : undefined;
    if (r === undefined) out[w++] = c;
    else for (let j = 0; j < r.length; j++) out[w++] = r.charCodeAt(j);
  }
  return fromCodeUnits(out, w);
}

/** XML's line-end handling: CR LF and a lone CR become LF. */
export function normalizeLineEnds(s: string): string {
  if (!s.includes('\r')) return s;
  if (s.length < SHORT) return s.replace(/\r\n?/g, '\n');
  const out = new Uint16Array(s.length);
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 13) out[w++] = c;
    else {
      out[w++] = 10;
      if (s.charCodeAt(i + 1) === 10) i++;
    }
  }
  return fromCodeUnits(out, w);
}

/**
 * As many LFs as `s` has: what stays of a span removed from a text whose line numbers must not move. libxml2 counts
 * lines by LF alone (a lone CR starts none for it), so its line numbers after the span are the same; nothing else of
 * the span is kept, a CR neither. A global `replace` of all but the line breaks cost one match per line, seconds on
 * 9 MB of short lines.
 */
export function lineFeedsOf(s: string): string {
  let lf = 0;
  // A plain loop: indexOf per LF costs twice as much when every other character is one.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) lf++;
  return '\n'.repeat(lf);
}

/** The text of line `line` (from 1) of `s`, lines ending at CR LF, CR or LF; '' past the end. */
export function lineOf(s: string, line: number): string {
  let start = 0;
  let seen = 1;
  for (let i = 0; i < s.length && seen < line; i++) {
    const c = s.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    if (c === 13 && s.charCodeAt(i + 1) === 10) i++;
    seen++;
    start = i + 1;
  }
  if (seen < line) return '';
  let end = start;
  while (end < s.length && s.charCodeAt(end) !== 10 && s.charCodeAt(end) !== 13) end++;
  return s.slice(start, end);
}
