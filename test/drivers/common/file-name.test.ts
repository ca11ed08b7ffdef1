import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_FILE_STEM_BYTES, domainFileStem, domainNameFromStem, legacyFileStems,
} from '../../../src/drivers/common/file-name.js';
import { MAX_DOMAIN_NAME_BYTES } from '../../../src/xml/limits.js';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

describe('domain file stems', () => {
  it('leave room for the longest suffix a driver writes (.json.tmp-PID-HEX with a 7-digit pid)', () => {
    expect(MAX_FILE_STEM_BYTES + bytes('.json.tmp-4194304-0123abcd')).toBe(255);
  });

  it('keep the percent-encoded stems virtune always wrote, when they fit', () => {
    for (const name of ['vm1', 'a b', 'ünï', '.hidden', '%2F', 'x'.repeat(200), '#'.repeat(76)]) {
      expect(domainFileStem(name)).toBe(encodeURIComponent(name).replace(/^\./, '%2E'));
      expect(legacyFileStems(name)).toEqual([]);
    }
  });

  it('write a long name raw, behind %%, within the limit (the names that failed with ENAMETOOLONG)', () => {
    for (const name of ['#'.repeat(78), '中'.repeat(26), '%'.repeat(200), '中'.repeat(66) + 'ab', '😀'.repeat(50)]) {
      const stem = domainFileStem(name);
      expect(stem).toBe(`%%${name}`);
      expect(bytes(stem)).toBeLessThanOrEqual(MAX_FILE_STEM_BYTES);
    }
  });

  it('remember the percent-encoded stem a short-pid process could still write (230 to 236 bytes)', () => {
    expect(legacyFileStems('#'.repeat(77))).toEqual(['%23'.repeat(77)]); // 231 bytes
    expect(legacyFileStems('#'.repeat(79))).toEqual([]); // 237 bytes: never writable
  });

  it('give back every name up to the limit, in both forms, and never a stem over the limit', () => {
    const nameChar = fc.oneof(
      fc.constantFrom('%', '#', ' ', '.', 'a', '中', '😀', '\u00e9', '-', '~', '2', 'F'),
      fc.string({ unit: 'grapheme', maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.array(nameChar, { minLength: 1, maxLength: 200 }), (chars) => {
        let name = chars.join('').replace(/[/\0]/g, 'x');
        while (bytes(name) > MAX_DOMAIN_NAME_BYTES) name = [...name].slice(0, -1).join('');
        if (name === '') return;
        const stem = domainFileStem(name);
        expect(bytes(stem)).toBeLessThanOrEqual(MAX_FILE_STEM_BYTES);
        expect(stem.startsWith('.')).toBe(false);
        expect(stem.includes('/')).toBe(false);
        expect(domainNameFromStem(stem)).toBe(name);
        for (const legacy of legacyFileStems(name)) expect(domainNameFromStem(legacy)).toBe(name);
      }),
      { numRuns: 500 },
    );
  });

  it('refuse a stem no writer made', () => {
    expect(domainNameFromStem('%zz')).toBeUndefined();
  });
});
