// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
/**
 * virsh's scaled integers, property-tested against virsh itself: many values go through one batch
 * (`memtune test --hard-limit 'V'; memtune test; setmem test --size 'V' --config; ...`) in each tool, and the whole
 * output must be identical. A failed command does not stop a batch, so one run checks every value.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMemtuneSize } from '../../src/memory/scaled.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { skipUnless } from '../helpers/prereq.js';
import { assertBuilt, runVirsh, runVirtune } from '../helpers/spawn-cli.js';

const SUFFIXES = [
  '', 'b', 'B', 'k', 'K', 'KiB', 'kib', 'kb', 'KB', 'm', 'MiB', 'MB', 'g', 'G', 'GiB', 'GB', 't', 'TiB', 'TB',
  'p', 'PiB', 'PB', 'e', 'E', 'EiB', 'EB', 'x', 'bytes', 'Byte', 'kbytes', 'iB', 'Ki', 'k b', ' k', 'z', '.5',
];
const EDGES = [
  '0', '1', '1023', '1024', '9007199254740991', '9007199254740992', '8796093022207', '8796093022208',
  '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616',
];
/** Every edge with a few units and signs: checked in a fixed batch, never left to chance. */
const FIXED = EDGES.flatMap((e) => ['', 'k', 'b', 'M', 'E', 'x', 'KB'].flatMap((u) => [`${e}${u}`, `-${e}${u}`, `+${e}${u}`]));


/**
 * Values whose outcome differs on purpose, so they are left out of the comparison: memtune sizes above UNLIMITED
 * (2^53 KiB, from bytes just under 2^63): libvirt stores them, virtune refuses them (docs/parameters.md, "Where
 * virtune differs"). setmem/setmaxmem values are all compared, overflow included.
 */
function memtuneDiffers(v: string): boolean {
  const r = parseMemtuneSize(v);
  return r.ok && r.value > UNLIMITED;
}

function batchFor(values: readonly string[]): string {
  const cmds: string[] = [];
  for (const v of values) {
    if (!memtuneDiffers(v)) cmds.push(`memtune test --hard-limit '${v}'`, 'memtune test');
    // `--size 'V'`, not a bare word: a value like `--5k` would otherwise be read as an option.
    cmds.push(`setmem test --size '${v}' --config`, `setmaxmem test --size '${v}' --config`);
  }
  return cmds.join('; ');
}

async function compare(values: readonly string[]): Promise<void> {
  const args = ['-q', '-c', 'test:///default', batchFor(values)];
  const [theirs, ours] = await Promise.all([runVirsh(args), runVirtune(args)]);
  // A syntax error would hide every value behind one identical line.
  expect(theirs.stderr).not.toMatch(/doesn't support option|unexpected data|expected syntax/);
  expect(ours).toEqual(theirs);
}

const digits = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String), fc.constantFrom(...EDGES));
const number = fc
  .tuple(fc.constantFrom('', ' ', '\t', '+', '-', ' -', '--', '+-'), digits, fc.constantFrom(...SUFFIXES))
  .map(([sign, d, unit]) => `${sign}${d}${unit}`);
const junk = fc.string({ maxLength: 6 }).filter((s) => !/['\n\\\0]/.test(s));
const value = fc.oneof({ weight: 5, arbitrary: number }, { weight: 1, arbitrary: junk });

describe.skipIf(skipUnless('virsh'))('scaled integers: virtune parses as virsh does', () => {
  beforeAll(() => assertBuilt());

  it('prints the same for every edge value', async () => {
    await compare(FIXED);
  });

  it('prints the same for generated values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 20, maxLength: 80 }), (values) => compare(values)),
      { numRuns: 5 },
    );
  });
});
