import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineOf, normalizeLineEnds, replaceCodeUnits } from '../../src/xml/char-map.js';
import { escapeAttr, escapeText } from '../../src/xml/writer.js';

const text = fc.string({ unit: fc.constantFrom('a', '\r', '\n', '\t', '&', '<', '>', "'", '"', 'é', '😀'), maxLength: 3000 });

describe('linear character replacement', () => {
  it('gives what the regular expressions give, for short and long texts', () => {
    const table: Record<string, string> = { '&': '&amp;', '\t': ' ', '\n': '&#10;' };
    fc.assert(
      fc.property(text, (s) => {
        expect(replaceCodeUnits(s, /[&\t]/g, table)).toBe(s.replace(/[&\t]/g, (c) => table[c]!));
        expect(normalizeLineEnds(s)).toBe(s.replace(/\r\n?/g, '\n'));
        const lines = s.split(/\r\n|\r|\n/);
        for (const n of [1, 2, lines.length, lines.length + 1]) expect(lineOf(s, n)).toBe(lines[n - 1] ?? '');
      }),
      { numRuns: 300 },
    );
  });

  it('escapes a 9 MB text of specials whole (the writer on a hostile kept text)', () => {
    const quotes = "'".repeat(9_000_000);
    expect(escapeText(quotes)).toBe('&apos;'.repeat(9_000_000));
    expect(escapeAttr('\t\n'.repeat(10))).toBe('&#9;&#10;'.repeat(10));
  });
});
