import { describe, expect, it } from 'vitest';
import { ParseError, parseCommands } from '../../src/cli/parse.js';
import { ArgvTokens, CommandLexer } from '../../src/cli/tokenize.js';

const parse = (text: string) => parseCommands(new CommandLexer(text));
function errors(text: string): readonly string[] {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ParseError) return e.lines;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}
const options = (text: string, i = 0) =>
  Object.fromEntries(parse(text)[i]!.given.map((g) => [g.def.name, g.value ?? true]));

describe('parseCommands (virsh vshCommandParse)', () => {
  it('fills positional options in table order, skipping named ones', () => {
    expect(options('memtune test 5 6')).toEqual({ domain: 'test', 'hard-limit': '5', 'soft-limit': '6' });
    expect(options('memtune --hard-limit 5 test 6')).toEqual({ 'hard-limit': '5', domain: 'test', 'soft-limit': '6' });
  });

  it('accepts --opt=value and --opt value alike', () => {
    expect(options('memtune --domain=test --hard-limit=1G')).toEqual({ domain: 'test', 'hard-limit': '1G' });
  });

  it('makes every word after -- data', () => {
    expect(options('memtune -- --hard-limit')).toEqual({ domain: '--hard-limit' });
  });

  it('never fills --swap-soft-limit by position, so positional use stays virsh-compatible', () => {
    expect(errors('memtune test 1 2 3 4 5')).toEqual(["unexpected data '5'"]);
  });

  it('reports virsh\'s syntax errors word for word', () => {
    expect(errors('foo')).toEqual(["unknown command: 'foo'"]);
    expect(errors('memtune test --foo')).toEqual(["command 'memtune' doesn't support option --foo"]);
    expect(errors('memtune test --hard-limit')).toEqual(['expected syntax: --hard-limit <number>']);
    expect(errors('memtune test --hard-limit 1 --hard-limit 2')).toEqual(['option --hard-limit already seen']);
    expect(errors('list --all=yes')).toEqual(["invalid '=' after option --all"]);
    expect(errors('memtune test --domain x')).toEqual(['option --domain already seen']);
    expect(errors('memtune')).toEqual(["command 'memtune' requires <domain> option"]);
    expect(errors('setmem')).toEqual(["command 'setmem' requires <domain> option", "command 'setmem' requires --size option"]);
    expect(errors('uri extra')).toEqual(["unexpected data 'extra'"]);
    expect(errors('uri -- --foo')).toEqual(["unexpected data '--foo'"]);
    expect(errors('memtune "x')).toEqual(['missing "']);
  });

  it('runs nothing when any command of the batch is malformed', () => {
    expect(errors('uri; foo; uri')).toEqual(["unknown command: 'foo'"]);
  });

  it('turns --help into help for the command, whatever else was given', () => {
    const [cmd] = parse('memtune --help --domain x');
    expect(cmd!.def.name).toBe('help');
    expect(cmd!.value('command')).toBe('memtune');
  });

  it('lets help ignore unknown options and extra words', () => {
    const [cmd] = parse('help --foo memtune extra');
    expect(cmd!.value('command')).toBe('memtune');
  });

  it('collects echo\'s words, options after them included', () => {
    const [cmd] = parse("echo a 'b c' --shell d");
    expect(cmd!.argv()).toEqual(['a', 'b c', 'd']);
    expect(cmd!.has('shell')).toBe(true);
  });

  it('splits a batch into commands and skips empty ones', () => {
    expect(parse(' ; uri;; version ').map((c) => c.def.name)).toEqual(['uri', 'version']);
  });

  it('treats a command whose name starts with # as a comment, quoted or not', () => {
    expect(parse("uri; '#' foo --bar; version").map((c) => c.def.name)).toEqual(['uri', 'version']);
    expect(parseCommands(new ArgvTokens(['#x', 'uri']))).toEqual([]);
  });

  it('parses argv words as one command', () => {
    const cmds = parseCommands(new ArgvTokens(['memtune', 'test', '--hard-limit', '1G']));
    expect(cmds).toHaveLength(1);
    expect(cmds[0]!.value('hard-limit')).toBe('1G');
  });
});
