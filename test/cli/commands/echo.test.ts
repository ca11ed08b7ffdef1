import { describe, expect, it } from 'vitest';
import { escapeShell, escapeXML, splitCommas } from '../../../src/cli/commands/echo.js';

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
