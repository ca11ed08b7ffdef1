import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/xml/tokenizer.js';
import { clearValidationCache, domainShapeKey, isKnownValid, rememberValid } from '../../src/xml/validation-cache.js';
import { apply, edit, seeds, serialize, verdict } from './mutants.js';

/**
 * The validation cache may only ever save work: for any document, parseDomainXML must give exactly the same
 * verdict (accepted, or the same error) with the cache warmed by many valid documents as with the cache empty.
 * Mutants are made from valid documents by the edits most likely to keep the cache key of a valid document
 * while breaking validity: leaf values from the edge of each datatype, comments, PIs and CDATA inside leaves,
 * added attributes, removed, duplicated, renamed and inserted elements.
 */

describe('validation cache', () => {
  it('never changes a verdict: mutants of valid documents, cache warm vs cache cleared', () => {
    const valid = seeds();
    clearValidationCache();
    for (const d of valid) expect(verdict(d)).toEqual({ ok: true });
    const warmKeys = new Set(valid.map((d) => domainShapeKey(tokenize(d))));
    let hits = 0;
    let hitsOnChangedDocs = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.nat(valid.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(3).map((n) => n > 0), edit), { minLength: 1, maxLength: 2 }),
        (seed, edits) => {
          const tree = tokenize(valid[seed]!);
          for (const [target, leaf, e] of edits) apply(tree, target, leaf, e);
          const xml = serialize(tree);
          for (const k of warmKeys) rememberValid(k);
          const key = domainShapeKey(tokenize(xml));
          if (isKnownValid(key)) {
            hits++;
            if (xml !== valid[seed]) hitsOnChangedDocs++;
          }
          const warm = verdict(xml);
          clearValidationCache();
          const cold = verdict(xml);
          expect(warm).toEqual(cold);
          if (cold.ok) warmKeys.add(key);
          else rejected++;
        },
      ),
      { numRuns: 1000 },
    );
    // The property only means something if many mutants reached the cache and many were invalid.
    expect(hitsOnChangedDocs).toBeGreaterThan(60);
    expect(rejected).toBeGreaterThan(200);
  });
});
