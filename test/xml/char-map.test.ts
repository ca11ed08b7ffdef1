import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineFeedsOf, lineOf, normalizeLineEnds, replaceCodeUnits } from '../../src/xml/char-map.js';
import { escapeAttr, escapeText } from '../../src/xml/writer.js';

// Lone surrogates too: the long path hands its code units to node's UTF-16 decoder, which must keep them as they are.
const unit = fc.constantFrom('a', '\r', '\n', '\t', '&', '<', '>', "'", '"', 'é', '😀', '\ud800', '\udfff');
// Texts of 1,024 code units and more take the typed-array path (fast-check's lengths stay short unless told).
const text = fc.oneof(fc.string({ unit, maxLength: 3000 }), fc.string({ unit, minLength: 1024, maxLength: 3000 }));

const ONE_FOR_ONE: Record<string, string> = { '\t': ' ', '\n': ' ' };

describe('linear character replacement', () => {
  it('gives what the regular expressions give, for short and long texts', () => {
    const table: Record<string, string> = { '&': '&amp;', '\t': ' ', '\n': '&#10;' };
    fc.assert(
      fc.property(text, (s) => {
        expect(replaceCodeUnits(s, /[&\t]/g, table)).toBe(s.replace(/[&\t]/g, (c) => table[c]!));
        // One code unit for one (attribute white space): the single-pass map.
        expect(replaceCodeUnits(s, /[\t\n]/g, ONE_FOR_ONE)).toBe(s.replace(/[\t\n]/g, ' '));
        expect(normalizeLineEnds(s)).toBe(s.replace(/\r\n?/g, '\n'));
        expect(lineFeedsOf(s)).toBe(s.replace(/[^\n]+/g, ''));
        const lines = s.split(/\r\n|\r|\n/);
        for (const n of [1, 2, lines.length, lines.length + 1]) expect(lineOf(s, n)).toBe(lines[n - 1] ?? '');
      }),
      // No shrinking: on texts of thousands of code units it takes longer than the suite (the first failure is shown as found).
      { numRuns: 300, endOnFailure: true },
    );
  });

  it('keeps the LFs of 9 MB of short lines, and nothing of 9 MB of lone CRs (a span the schema view removes)', () => {
    expect(lineFeedsOf('a\n'.repeat(4_500_000))).toBe('\n'.repeat(4_500_000));
    expect(lineFeedsOf('ab\r\n'.repeat(2_000_000))).toBe('\n'.repeat(2_000_000));
    expect(lineFeedsOf('\r'.repeat(9_000_000))).toBe('');
  });

  it('escapes a 9 MB text of specials whole (the writer on a hostile kept text)', () => {
    const quotes = "'".repeat(9_000_000);
    expect(escapeText(quotes)).toBe('&apos;'.repeat(9_000_000));
    expect(escapeAttr('\t\n'.repeat(10))).toBe('&#9;&#10;'.repeat(10));
  });
});
