/**
 * virsh's vshTableSafeEncode: how a table cell is printed and how many columns it takes. Control characters and a
 * backslash followed by `x` become `\xNN`; in a UTF-8 locale other characters are kept and counted as GLib counts
 * them (zero width, wide or one column), while a character the locale cannot print, and in any other locale every
 * non-ASCII byte, becomes `\xff`: virsh formats the byte as a signed char into four columns.
 */

// Code points of East Asian Width W or F (Unicode 14, assigned ones; gaps of unassigned ones are bridged, since
// those are escaped anyway), as inclusive pairs: GLib's g_unichar_iswide.
const WIDE: readonly number[] = [
  0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3, 0x25fd, 0x25fe,
  0x2614, 0x2615, 0x2648, 0x2653, 0x267f, 0x267f, 0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be,
  0x26c4, 0x26c5, 0x26ce, 0x26ce, 0x26d4, 0x26d4, 0x26ea, 0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa,
  0x26fd, 0x26fd, 0x2705, 0x2705, 0x270a, 0x270b, 0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e, 0x2753, 0x2755,
  0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf, 0x2b1b, 0x2b1c, 0x2b50, 0x2b50, 0x2b55, 0x2b55,
  0x2e80, 0x303e, 0x3041, 0x3247, 0x3250, 0x4dbf, 0x4e00, 0xa4c6, 0xa960, 0xa97c, 0xac00, 0xd7a3, 0xf900, 0xfad9,
  0xfe10, 0xfe19, 0xfe30, 0xfe6b, 0xff01, 0xff60, 0xffe0, 0xffe6, 0x16fe0, 0x1b2fb, 0x1f004, 0x1f004,
  0x1f0cf, 0x1f0cf, 0x1f18e, 0x1f18e, 0x1f191, 0x1f19a, 0x1f200, 0x1f320, 0x1f32d, 0x1f335, 0x1f337, 0x1f37c,
  0x1f37e, 0x1f393, 0x1f3a0, 0x1f3ca, 0x1f3cf, 0x1f3d3, 0x1f3e0, 0x1f3f0, 0x1f3f4, 0x1f3f4, 0x1f3f8, 0x1f43e,
  0x1f440, 0x1f440, 0x1f442, 0x1f4fc, 0x1f4ff, 0x1f53d, 0x1f54b, 0x1f54e, 0x1f550, 0x1f567, 0x1f57a, 0x1f57a,
  0x1f595, 0x1f596, 0x1f5a4, 0x1f5a4, 0x1f5fb, 0x1f64f, 0x1f680, 0x1f6c5, 0x1f6cc, 0x1f6cc, 0x1f6d0, 0x1f6d2,
  0x1f6d5, 0x1f6df, 0x1f6eb, 0x1f6ec, 0x1f6f4, 0x1f6fc, 0x1f7e0, 0x1f7f0, 0x1f90c, 0x1f93a, 0x1f93c, 0x1f945,
  0x1f947, 0x1f9ff, 0x1fa70, 0x1faf6, 0x20000, 0x3134a
];

// GLib's g_unichar_iszerowidth: marks and format characters (but SOFT HYPHEN), Hangul medial vowels and final
// consonants, ZERO WIDTH SPACE.
const ZERO_WIDTH = /^(?![\u00ad])[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff\ud7b0-\ud7ff\u200b]$/u;
// What glibc's iswprint refuses: controls, unassigned code points (as Node's Unicode knows them), line and paragraph
// separators.
const UNPRINTABLE = /^[\p{Cc}\p{Cn}\p{Cs}\u2028\u2029]$/u;

function isWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE[2 * mid]!) hi = mid - 1;
    else if (cp > WIDE[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether virsh, started with this environment, runs in a UTF-8 locale (setlocale(LC_ALL, "")'s LC_CTYPE). */
export function isUTF8Locale(env: NodeJS.ProcessEnv = process.env): boolean {
  const name = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /\.utf-?8(@|$)/i.test(name);
}

/** One cell as virsh's table prints it, and its width in columns. */
export function encodeTableCell(text: string, utf8: boolean): { text: string; width: number } {
  let out = '';
  let width = 0;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const cp = c.codePointAt(0)!;
    if ((c === '\\' && chars[i + 1] === 'x') || cp < 0x20 || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
      width += 4;
    } else if (cp < 0x80) {
      out += c;
      width += 1;
    } else if (!utf8 || UNPRINTABLE.test(c)) {
      const bytes = Buffer.byteLength(c, 'utf8');
      out += '\\xff'.repeat(bytes);
      width += 4 * bytes;
    } else {
      out += c;
      width += ZERO_WIDTH.test(c) ? 0 : isWide(cp) ? 2 : 1;
    }
  }
  return { text: out, width };
}
