import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/drivers/common/sha256.js';
import { processLockAddress } from '../../../src/drivers/common/process-lock.js';

// The cgroup drivers name cgroups and locks after SHA-256 digests; sha256Hex must give node:crypto's digest to the
// bit, or a new virtune would not find the cgroups and locks an older one made.
const reference = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('sha256Hex', () => {
  it("gives FIPS 180-4's test vectors", () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it("is node:crypto's digest of every length around the block and padding boundaries", () => {
    for (let n = 0; n <= 200; n++) {
      const s = 'x'.repeat(n);
      expect(sha256Hex(s), `length ${n}`).toBe(reference(s));
    }
  });

  it("is node:crypto's digest of any string, hashed as UTF-8 (lone surrogates as U+FFFD, as Buffer does)", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => sha256Hex(s) === reference(s)),
      { numRuns: 500 },
    );
  });

  it('keeps the lock address a root and key always had', () => {
    expect(processLockAddress('/tmp/root', '#root')).toBe(
      `\0virtune-lock-${createHash('sha256').update('/tmp/root').update('\0').update('#root').digest('hex').slice(0, 40)}`,
    );
  });
});
