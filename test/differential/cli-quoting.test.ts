// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
/**
 * virsh's command-string lexer and option parser, property-tested against virsh itself: random strings of quotes,
 * backslashes, blanks, separators and comment marks follow `echo --shell` (which shows where each word begins and
 * ends) through both tools; stdout, stderr and status must be identical.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipUnless } from '../helpers/prereq.js';
import { assertBuilt, runVirsh, runVirtune } from '../helpers/spawn-cli.js';

const PIECES = ['a', 'b', 'x y', ' ', '\t', "'", '"', '\\', ';', '#', '\n', '--', '-', '=', 'echo ', '--shell', '--err', '\\\n'];
const commandString = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((p) => `echo --shell ${p.join('')}`);

describe.skipIf(skipUnless('virsh'))('command strings: virtune splits and parses as virsh does', () => {
  beforeAll(() => assertBuilt());

  it('agrees on every generated string', async () => {
    await fc.assert(
      fc.asyncProperty(commandString, async (text) => {
        const args = ['-c', 'test:///default', text];
        const [theirs, ours] = await Promise.all([runVirsh(args), runVirtune(args)]);
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 40 },
    );
  });
});
