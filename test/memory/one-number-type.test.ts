// Memory amounts and the unlimited sentinel are one type (bigint) across the API: comparing with UNLIMITED
// type-checks (tsc runs over test/) and is true exactly for an unset limit.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { openConnection, UNLIMITED, type DomainInfo, type MemTune, type TypedParameter } from '../../src/index.js';
import { TypedParameterType } from '../../src/typed-params/types.js';

describe('one type for memory amounts', () => {
  it('UNLIMITED is a bigint, as every amount the API returns', () => {
    expectTypeOf(UNLIMITED).toEqualTypeOf<bigint>();
    expectTypeOf<MemTune['hardLimit']>().toEqualTypeOf<bigint>();
    expectTypeOf<DomainInfo['memory']>().toEqualTypeOf<bigint>();
    expect(UNLIMITED).toBe(2n ** 53n - 1n);
  });

  it('value === UNLIMITED is true for an unset limit and false for a set one', async () => {
    const conn = await openConnection('test:///default');
    try {
      const dom = await conn.lookupDomainByName('test');
      await dom.setMemoryParameters([{ field: 'hard_limit', type: TypedParameterType.ULLONG, value: 1048576n }]);
      const unlimited = (p: TypedParameter) => p.value === UNLIMITED;
      const params = await dom.getMemoryParameters();
      expect(params.map((p) => [p.field, unlimited(p)])).toEqual([
        ['hard_limit', false],
        ['soft_limit', true],
        ['swap_hard_limit', true],
      ]);
      const info = await dom.getInfo();
      expect(info.memory <= info.maxMem && typeof info.memory === 'bigint').toBe(true);
    } finally {
      await conn.close();
    }
  });
});
