// Fuzzing the XML parser: domain documents mutated in their structure (test/xml/mutants.ts) and in their bytes,
// and <memtune> fragments, each parsed with and without the schema. Every case ends in a definition or a VirError
// within the per-case deadline; an accepted document formats to XML that parses again to the same definition.
// A CI slice runs in `npm test`; `npm run fuzz` runs the full count (test/helpers/fuzz.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirError } from '../../src/errors.js';
import { formatDomainXML } from '../../src/xml/format-domain.js';
import { parseMemtune } from '../../src/xml/memtune.js';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { tokenize } from '../../src/xml/tokenizer.js';
import { FuzzTally, fuzzRuns, withinDeadline } from '../helpers/fuzz.js';
import { apply, edit, seeds, serialize } from './mutants.js';

const SEEDS = seeds();

/** A definition, or the VirError that refused the text; anything else thrown fails the case. */
function outcome<T>(run: () => T): T | VirError {
  try {
    return run();
  } catch (e) {
    if (e instanceof VirError) return e;
    throw e;
  }
}

/** Text from the edges of XML: markup characters, entities, NUL, lone surrogates, huge numbers, units. */
const nasty = fc.oneof(
  fc.constantFrom(
    '<', '>', '&', '&amp;', '&#0;', '&#xD800;', '&lt;', ']]>', '<!--', '-->', '<?x?>', '<![CDATA[', '"', "'", '\0',
    '\ud800', '\uffff', '\u202e', '18446744073709551616', '9007199254740992', '-1', '0x10', ' 1 ', 'KiB', 'EiB',
    '<memtune>', '</domain>', '<!DOCTYPE d [<!ENTITY e "x">]>', 'xmlns:a="b"', '\r\n', '\t',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

type ByteEdit =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'repeat'; at: number; len: number; times: number };

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: nasty }) },
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 2, max: 50 }) }),
);

function applyBytes(text: string, e: ByteEdit): string {
  const at = e.at % (text.length + 1);
  switch (e.op) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.len);
    case 'repeat':
      return text.slice(0, at) + text.slice(at, at + e.len).repeat(e.times) + text.slice(at + e.len);
  }
}

/** Parses `xml` both ways; an accepted definition must survive formatting and parsing again unchanged. */
function checkDocument(xml: string): void {
  for (const validate of [true, false]) {
    const def = outcome(() => parseDomainXML(xml, { validate }));
    if (def instanceof VirError) continue;
    const again = formatDomainXML(def);
    expect(parseDomainXML(again, { validate: false })).toEqual(def);
  }
}

describe('fuzzing the XML parser: every input ends in a definition or a VirError', () => {
  it('structural mutants of valid domain documents', async () => {
    const tally = new FuzzTally('xml structural mutants');
    await fc.assert(
      fc.asyncProperty(
        fc.nat(SEEDS.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.boolean(), edit), { minLength: 1, maxLength: 4 }),
        async (seed, edits) => {
          const tree = tokenize(SEEDS[seed]!);
          for (const [target, leaf, e] of edits) apply(tree, target, leaf, e);
          const xml = serialize(tree);
          tally.case();
          await withinDeadline(() => `structural mutant ${JSON.stringify(xml.slice(0, 200))}`, () => checkDocument(xml));
        },
      ),
      { numRuns: fuzzRuns(100, 12_000) },
    );
    tally.report();
  });

  it('byte-level mutants of valid domain documents', async () => {
    const tally = new FuzzTally('xml byte mutants');
    await fc.assert(
      fc.asyncProperty(fc.nat(SEEDS.length - 1), fc.array(byteEdit, { minLength: 1, maxLength: 5 }), async (seed, edits) => {
        const xml = edits.reduce(applyBytes, SEEDS[seed]!);
        tally.case();
        await withinDeadline(() => `byte mutant ${JSON.stringify(xml.slice(0, 200))}`, () => checkDocument(xml));
      }),
      { numRuns: fuzzRuns(100, 15_000) },
    );
    tally.report();
  });

  it('<memtune> fragments', async () => {
    const tally = new FuzzTally('xml memtune fragments');
    const leafName = fc.constantFrom('hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit', 'swap_soft_limit', 'bogus');
    const unit = fc.option(fc.oneof(fc.constantFrom('KiB', 'b', 'bytes', 'MB', 'EiB', 'e', 'furlongs', ''), nasty), { nil: undefined });
    const value = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String), nasty);
    const leaf = fc.tuple(leafName, unit, value).map(([n, u, v]) => `<${n}${u === undefined ? '' : ` unit='${u}'`}>${v}</${n}>`);
    await fc.assert(
      fc.asyncProperty(fc.array(leaf, { maxLength: 6 }), fc.array(byteEdit, { maxLength: 2 }), async (leaves, edits) => {
        const xml = edits.reduce(applyBytes, `<memtune>${leaves.join('')}</memtune>`);
        tally.case();
        await withinDeadline(() => `memtune ${JSON.stringify(xml.slice(0, 200))}`, () => {
          outcome(() => parseMemtune(xml));
          outcome(() => parseMemtune(xml, { validate: false }));
        });
      }),
      { numRuns: fuzzRuns(300, 20_000) },
    );
    tally.report();
  });
});
