/**
 * virsh's scaled integers, property-tested against virsh itself: many generated values go through one batch
 * (`memtune test --hard-limit 'V'; memtune test; setmem test 'V' --config; ...`) in each tool, and the whole
 * output must be identical. A failed command does not stop a batch, so one run checks every value.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipUnless } from '../helpers/prereq.js';
import { assertBuilt, runVirsh, runVirtune } from '../cli/helpers/spawn-cli.js';

const SUFFIXES = [
  '', 'b', 'B', 'k', 'K', 'KiB', 'kib', 'kb', 'KB', 'm', 'MiB', 'MB', 'g', 'G', 'GiB', 'GB', 't', 'TiB', 'TB',
  'p', 'PiB', 'PB', 'e', 'E', 'EiB', 'EB', 'x', 'bytes', 'iB', 'Ki', 'k b', ' k', 'z', '.5',
];
const EDGES = [
  '0', '1', '1023', '1024', '9007199254740991', '9007199254740992', '8796093022207', '8796093022208',
  '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616',
];

/** Every edge with a few units, in every run, so the edges never depend on chance. */
const FIXED = EDGES.flatMap((e) => ['', 'k', 'b', 'M', 'E', 'x', 'KB'].flatMap((u) => [`${e}${u}`, `-${e}${u}`]));

const digits = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String), fc.constantFrom(...EDGES));
const number = fc
  .tuple(fc.constantFrom('', ' ', '\t', '+', '-', ' -', '--'), digits, fc.constantFrom(...SUFFIXES))
  .map(([sign, d, unit]) => `${sign}${d}${unit}`);
const junk = fc.string({ maxLength: 6 }).filter((s) => !/['\n\\]/.test(s));
const value = fc.oneof({ weight: 5, arbitrary: number }, { weight: 1, arbitrary: junk });

function batchFor(values: readonly string[]): string {
  return values
    .map((v) => `memtune test --hard-limit '${v}'; memtune test; setmem test '${v}' --config; setmaxmem test '${v}' --config`)
    .join('; ');
}

describe.skipIf(skipUnless('virsh'))('scaled integers: virtune parses as virsh does', () => {
  beforeAll(() => assertBuilt());

  it('prints the same for every generated value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 20, maxLength: 60 }), async (values) => {
        const args = ['-q', '-c', 'test:///default', batchFor([...FIXED, ...values])];
        const [theirs, ours] = await Promise.all([runVirsh(args), runVirtune(args)]);
        process.stderr.write(`PROP ${values.length} ${ours.stderr === theirs.stderr} ${JSON.stringify(theirs.stderr.slice(0, 120))}\n`);
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 4 },
    );
  });
});
