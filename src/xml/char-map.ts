/**
 * Character replacement in time and memory linear in the text, however many characters match.
 *
 * `String.prototype.replace` with a global pattern allocates for every match; on a 10 MiB text that is all
 * matches (a description of quotes, a value of tabs, CR LF line ends) it takes seconds, mostly in the garbage
 * collector. Short texts, the usual case, keep using `replace`; long ones are mapped code unit by code unit into
 * a typed array.
 */

/** Below this length the plain `replace` is faster. */
const SHORT = 1024;
const CHUNK = 8192;

function fromCodeUnits(units: Uint16Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += CHUNK) {
    out += String.fromCharCode.apply(null, units.subarray(i, Math.min(i + CHUNK, length)) as unknown as number[]);
  }
  return out;
}

const codeTables = new WeakMap<RegExp, (string | undefined)[]>();

/** The entries of `table` that `pattern` matches, indexed by code unit (the keys are ASCII). */
function codesOf(pattern: RegExp, table: Readonly<Record<string, string>>): (string | undefined)[] {
  let codes = codeTables.get(pattern);
  if (!codes) {
    const one = new RegExp(pattern.source, pattern.flags.replace('g', ''));
    codes = new Array<string | undefined>(128).fill(undefined);
    for (const [k, v] of Object.entries(table)) if (one.test(k)) codes[k.charCodeAt(0)] = v;
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
  const codes = codesOf(pattern, table);
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    length += c < 128 && codes[c] !== undefined ? codes[c]!.length : 1;
  }
  const out = new Uint16Array(length);
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const r = c < 128 ? codes[c] : undefined;
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
