import { describe, expect, it } from 'vitest';
import { formatParamLine, formatTable, paramsToJSON } from '../../src/cli/output.js';
import { encodeTableCell } from '../../src/cli/table-cell.js';
import { ull } from '../helpers/typed-param.js';

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

  // Measured with virsh 9.0 (`list --all` after defining these names) under LC_ALL=C.UTF-8 and LC_ALL=C.
  const names = [['-', 'a\\xb', 'shut off'], ['-', '\u00e9e', 'shut off'], ['-', 'e\u0301e', 'shut off'],
    ['-', '中文名字', 'shut off'], ['-', 'Ａｂｃ', 'shut off'], ['-', '😀x', 'shut off']];

  it('measures cells in a UTF-8 locale as virsh does: wide, zero-width, and a backslash before x escaped', () => {
    expect(formatTable(['Id', 'Name', 'State'], names, false, true)).toBe(
      ' -   a\\x5cxb    shut off\n -   \u00e9e         shut off\n -   e\u0301e         shut off\n' +
      ' -   中文名字   shut off\n -   Ａｂｃ     shut off\n -   😀x        shut off\n',
    );
  });

  it('keeps private-use characters, measures format characters as zero and escapes separators (virsh, C.UTF-8)', () => {
    expect(encodeTableCell('a\ue000b', true)).toEqual({ text: 'a\ue000b', width: 3 });
    expect(encodeTableCell('\u{E0001}x\u0600', true)).toEqual({ text: '\u{E0001}x\u0600', width: 1 });
    expect(encodeTableCell('a\u00adb', true)).toEqual({ text: 'a\u00adb', width: 3 });
    expect(encodeTableCell('a\u2028b', true)).toEqual({ text: 'a\\xff\\xff\\xffb', width: 14 });
  });

  it('prints each non-ASCII byte as \\xff in another locale, as virsh does', () => {
    expect(formatTable(['Id', 'Name', 'State'], names.slice(1, 4), false, false)).toBe(
      ' -   \\xff\\xffe                                          shut off\n' +
      ' -   e\\xff\\xffe                                         shut off\n' +
      ' -   \\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff   shut off\n',
    );
  });
});

describe('memtune lines', () => {
  it('prints unlimited for 2^53-1 and the number otherwise', () => {
    expect(formatParamLine(ull('hard_limit', 9007199254740991n))).toBe('hard_limit     : unlimited\n');
    expect(formatParamLine(ull('swap_hard_limit', 0n))).toBe('swap_hard_limit: 0\n');
    expect(formatParamLine(ull('a_name_longer_than_15', 5n))).toBe('a_name_longer_than_15: 5\n');
  });
  it('maps unlimited to null in JSON', () => {
    expect(paramsToJSON([ull('hard_limit', 9007199254740991n), ull('soft_limit', 1024n)])).toEqual({ hard_limit: null, soft_limit: 1024 });
  });
});
