import { describe, expect, it } from 'vitest';
import { escapeShell, escapeXML, splitCommas } from '../../src/cli/commands/echo.js';
import { formatParamLine, formatTable, paramsToJSON } from '../../src/cli/output.js';
import { TypedParameterType } from '../../src/typed-params/types.js';

describe('formatTable (virsh vshTable)', () => {
  it('pads every cell but the last and rules under the header', () => {
    expect(formatTable(['Id', 'Name', 'State'], [['1', 'test', 'running']], true)).toBe(
      ' Id   Name   State\n----------------------\n 1    test   running\n',
    );
  });

  it('leaves the header out of the widths when quiet', () => {
    expect(formatTable(['Id', 'Name', 'State'], [['1', 'test', 'running'], ['-', 'a-longer-name', 'shut off']], false)).toBe(
      ' 1   test            running\n -   a-longer-name   shut off\n',
    );
    expect(formatTable(['Id', 'Name', 'State'], [], false)).toBe('');
  });
});

describe('memtune lines', () => {
  const ull = (field: string, value: bigint) => ({ field, type: TypedParameterType.ULLONG as const, value });
  it('prints unlimited for 2^53-1 and the number otherwise', () => {
    expect(formatParamLine(ull('hard_limit', 9007199254740991n))).toBe('hard_limit     : unlimited\n');
    expect(formatParamLine(ull('swap_hard_limit', 0n))).toBe('swap_hard_limit: 0\n');
    expect(formatParamLine(ull('a_name_longer_than_15', 5n))).toBe('a_name_longer_than_15: 5\n');
  });
  it('maps unlimited to null in JSON', () => {
    expect(paramsToJSON([ull('hard_limit', 9007199254740991n), ull('soft_limit', 1024n)])).toEqual({ hard_limit: null, soft_limit: 1024 });
  });
});

describe('echo escapes', () => {
  it('quotes for the shell only when needed', () => {
    expect(['a', 'b c', '', "it's", 'a=b,c:d', 'x;y', '~h'].map(escapeShell)).toEqual([
      'a', "'b c'", "''", "'it'\\''s'", 'a=b,c:d', "'x;y'", "'~h'",
    ]);
  });
  it('escapes XML and splits on single commas', () => {
    expect(escapeXML(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(splitCommas('a,b,,c,')).toEqual(['a', 'b,c', '']);
  });
});
