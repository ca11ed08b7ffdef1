import { describe, expect, it } from 'vitest';
import { ArgvTokens, CommandLexer, TokenizeError, type Token, type TokenSource } from '../../src/cli/tokenize.js';

function lex(source: TokenSource): Array<string | ';'> {
  const out: Array<string | ';'> = [];
  for (let t: Token | undefined; (t = source.next()) !== undefined; ) out.push(t.kind === 'arg' ? t.text : ';');
  return out;
}
const words = (text: string) => lex(new CommandLexer(text));

describe('CommandLexer (virsh quoting rules)', () => {
  it('splits on blanks and tabs, ends commands at ; and newline', () => {
    expect(words('memtune  test\t--hard-limit 1G;memtune test')).toEqual([
      'memtune', 'test', '--hard-limit', '1G', ';', 'memtune', 'test',
    ]);
    expect(words('uri\nuri')).toEqual(['uri', ';', 'uri']);
    expect(words('uri ;; uri')).toEqual(['uri', ';', ';', 'uri']);
  });

  it('keeps single-quoted text literally, backslashes included', () => {
    expect(words("echo 'a  b' 'a\\b' 'a\"b'")).toEqual(['echo', 'a  b', 'a\\b', 'a"b']);
  });

  it('joins quoted and unquoted parts of one word', () => {
    expect(words(`memtune 'te'st "x"y`)).toEqual(['memtune', 'test', 'xy']);
  });

  it('lets a backslash escape the next character outside single quotes', () => {
    expect(words('echo "a\\"b" a\\ b \\#x')).toEqual(['echo', 'a"b', 'a b', '#x']);
  });

  it('treats # at the start of a word as a comment to the end of the line', () => {
    expect(words('uri #x; uri')).toEqual(['uri', ';']);
    expect(words('uri;#x\nuri')).toEqual(['uri', ';', ';', 'uri']);
    expect(words('echo a#b')).toEqual(['echo', 'a#b']);
  });

  it('drops backslash-newline', () => {
    expect(words('uri \\\nextra')).toEqual(['uri', 'extra']);
    expect(words('ab\\\ncd')).toEqual(['abcd']);
  });

  it('accepts an unclosed single quote, as virsh does', () => {
    expect(words("memtune 'test")).toEqual(['memtune', 'test']);
  });

  it('fails on an unclosed double quote and a dangling backslash', () => {
    expect(() => words('memtune "test')).toThrow(new TokenizeError('missing "'));
    expect(() => words('memtune test\\')).toThrow(new TokenizeError('dangling \\'));
  });

  it('lets an unclosed double quote end a comment command silently', () => {
    const lexer = new CommandLexer('a "b; uri');
    expect(lexer.next(true)).toEqual({ kind: 'arg', text: 'a' });
    expect(lexer.next(true)).toBeUndefined();
    expect(() => new CommandLexer('x\\').next(true)).toThrow(new TokenizeError('dangling \\'));
  });

  it('gives an empty argument for empty quotes', () => {
    expect(words("memtune ''")).toEqual(['memtune', '']);
  });
});

describe('ArgvTokens', () => {
  it('takes every word literally, ; included', () => {
    expect(lex(new ArgvTokens(['memtune', 'test', ';', "'x'"]))).toEqual(['memtune', 'test', ';', "'x'"]);
  });
});
