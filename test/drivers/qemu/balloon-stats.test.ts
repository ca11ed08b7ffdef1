import { describe, expect, it } from 'vitest';
import { memoryStatsOf, parseGuestStats } from '../../../src/drivers/qemu/balloon-stats.js';
import { parseQmpJson } from '../../../src/drivers/qemu/qmp-json.js';
import { DomainMemoryStatTag as T } from '../../../src/flags.js';
import { ErrorCode } from '../../../src/errors.js';

describe('guest-stats parsing', () => {
  it('reads figures exactly; -1 and 2^64-1 mean unreported', () => {
    const reply = parseQmpJson(
      '{"stats": {"stat-free-memory": 132399104, "stat-total-memory": 18446744073709551615, "stat-swap-in": -1,' +
        ' "stat-major-faults": 9007199254740993, "stat-available-memory": 1023}, "last-update": 1796300347}',
    );
    const g = parseGuestStats(reply);
    expect(g.lastUpdate).toBe(1796300347n);
    expect(g.stats).toEqual({
      'stat-free-memory': 132399104n,
      'stat-total-memory': undefined,
      'stat-swap-in': undefined,
      // Above 2^53: a double would have made it ...992.
      'stat-major-faults': 9007199254740993n,
      'stat-available-memory': 1023n,
    });
    // libvirt's order and units: bytes become KiB (rounded down), counts stay, unreported figures are left out.
    expect(memoryStatsOf(262144n, g, 5000)).toEqual([
      { tag: T.ACTUAL_BALLOON, val: 262144n },
      { tag: T.MAJOR_FAULT, val: 9007199254740993n },
      { tag: T.UNUSED, val: 129296n },
      { tag: T.USABLE, val: 0n },
      { tag: T.LAST_UPDATE, val: 1796300347n },
      { tag: T.RSS, val: 5000n },
    ]);
    expect(memoryStatsOf(undefined, undefined, 7)).toEqual([{ tag: T.RSS, val: 7n }]);
  });

  it.each([
    ['not an object', '[]', /missing return data/],
    ['no stats', '{"last-update": 0}', /missing 'stats' data/],
    ['no last-update', '{"stats": {}}', /no valid 'last-update'/],
    ['a string figure', '{"stats": {"stat-swap-in": "1"}, "last-update": 0}', /malformed 'stat-swap-in'/],
    ['a fraction', '{"stats": {"stat-swap-in": 1.5}, "last-update": 0}', /malformed 'stat-swap-in'/],
    ['below -1', '{"stats": {"stat-swap-in": -2}, "last-update": 0}', /malformed 'stat-swap-in'/],
    ['beyond 2^64-1', '{"stats": {"stat-swap-in": 18446744073709551616}, "last-update": 0}', /malformed 'stat-swap-in'/],
  ])('refuses a reply with %s', (_why, text, message) => {
    expect(() => parseGuestStats(parseQmpJson(text))).toThrow(expect.objectContaining({ code: ErrorCode.INTERNAL_ERROR, message: expect.stringMatching(message) }));
  });
});
