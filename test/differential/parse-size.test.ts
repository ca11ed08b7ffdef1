// Cross-cutting suite (test/differential/): virtune beside libvirt itself, the oracle; not the tests of one src/ file.
/**
 * The library's parseSize against virsh's own parsing: each value goes to `virsh memtune test --hard-limit V` on
 * test:///default and the hard limit is read back. A value virsh takes must give the same KiB (or unlimited); a
 * value it refuses must throw, with libvirt's reason word for word when virsh prints one.
 */
import { describe, expect, it } from 'vitest';
import { UNLIMITED, isVirError, parseSize } from '../../src/index.js';
import { skipUnless } from '../helpers/prereq.js';
import { runVirsh } from '../helpers/spawn-cli.js';

const VALUES = [
  '0', '1', '1023', '1024', '2G', '512M', '1025b', '1023b', '1bytes', '3KB', '1MB', '5KiB', ' 5k', '+7', '-1', '-5G',
  '1.5G', '1x', 'abc', '', 'G', '4E', '8E', '99999999999E', '9223372036854775807b', '9223372036854775808b', '1e3',
];

describe.skipIf(skipUnless('virsh'))('parseSize parses as virsh memtune does', () => {
  it.each(VALUES)('%j', async (value) => {
    const r = await runVirsh(['-q', '-c', 'test:///default', `memtune test --hard-limit '${value}'; memtune test`]);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    let ours: bigint | Error;
    try {
      ours = parseSize(value);
    } catch (e) {
      ours = e as Error;
    }
    if (errors.length === 0) {
      const hard = /^hard_limit\s*: (\S+)$/m.exec(r.stdout)![1]!;
      expect(ours).toBe(hard === 'unlimited' ? UNLIMITED : BigInt(hard));
    } else if (errors[0] === 'error: Unable to change memory parameters') {
      // virsh parsed it; the driver refused the value (above UNLIMITED): parsing agrees, setting is another matter.
      expect(typeof ours).toBe('bigint');
      expect(ours as bigint).toBeGreaterThan(UNLIMITED);
    } else {
      expect(errors[0]).toBe('error: Unable to parse integer parameter hard-limit');
      expect(isVirError(ours)).toBe(true);
      // virsh's second line, when it has one, is libvirt's reason: ours is the same error.
      if (errors[1] !== undefined) expect(`error: ${(ours as Error).message}`).toBe(errors[1]);
    }
  });
});
