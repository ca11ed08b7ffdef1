import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { ParamTable } from '../../src/typed-params/param-table.js';
import { TypedParameterType as T } from '../../src/typed-params/types.js';
import { virErrorOf } from '../helpers/vir-error.js';

const table = new ParamTable<'a' | 'b' | 'c'>([
  { name: 'alpha', type: T.ULLONG, field: 'a' },
  { name: 'beta', type: T.LLONG, field: 'b' },
  { name: 'gamma', type: T.UINT, field: 'c' },
]);
const SUBSET = ['alpha', 'gamma'];

describe('a tunable family as a parameter table', () => {
  it('builds one frozen spec per subset of names', () => {
    expect(table.spec(SUBSET)).toEqual({ alpha: T.ULLONG, gamma: T.UINT });
    expect(table.spec(SUBSET)).toBe(table.spec(SUBSET));
    expect(Object.isFrozen(table.spec())).toBe(true);
    expect(table.names).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('validates against a subset and pairs each parameter with its row, in the caller order', () => {
    const out = table.validate([{ field: 'gamma', type: T.UINT, value: 3 }, { field: 'alpha', type: T.ULLONG, value: 1 }], SUBSET);
    expect(out.map(({ param, row }) => [param.value, row.field])).toEqual([
      [3, 'c'],
      [1n, 'a'],
    ]);
    expect(virErrorOf(() => table.validate([{ field: 'beta', type: T.LLONG, value: 1n }], SUBSET)).code).toBe(
      ErrorCode.ARGUMENT_UNSUPPORTED,
    );
  });

  it("lists values in the table's order for the names asked", () => {
    const values = { a: 1n, b: -2n, c: 3 } as const;
    expect(table.toParams((f) => values[f], ['gamma', 'alpha'])).toEqual([
      { field: 'alpha', type: T.ULLONG, value: 1n },
      { field: 'gamma', type: T.UINT, value: 3 },
    ]);
    expect(table.row('beta')?.field).toBe('b');
    expect(table.row('nope')).toBeUndefined();
  });
});
