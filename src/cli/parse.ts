import type { CommandDef, OptionDef } from './command-def.js';
import { findCommand } from './commands/table.js';
import { TokenizeError, type Token, type TokenSource } from './tokenize.js';

/** One option as given on the command line; a flag has no value. */
export interface GivenOption {
  readonly def: OptionDef;
  readonly value: string | undefined;
}

/** A command ready to run: its definition and the options it was given, in order. */
export class ParsedCommand {
  constructor(
    readonly def: CommandDef,
    readonly given: readonly GivenOption[],
  ) {}

  /** True when the option was given (virsh's vshCommandOptBool, which also probes valued options). */
  has(name: string): boolean {
    return this.given.some((g) => g.def.name === name);
  }

  /** The value of a valued option, or undefined when it was not given. */
  value(name: string): string | undefined {
    return this.given.find((g) => g.def.name === name)?.value;
  }

  /** The words of the trailing argv option, in order. */
  argv(): string[] {
    return this.given.filter((g) => g.def.type === 'argv').map((g) => g.value ?? '');
  }
}

/** A batch that failed to parse: virsh prints every line and runs none of its commands. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

const isAlnum = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9]$/.test(c);

/** Options a bare word may fill, lowest index first (vshCmddefOptParse's opts_need_arg). */
function positionalSlots(def: CommandDef): number[] {
  const slots: number[] = [];
  def.options.forEach((o, i) => {
    if (o.type !== 'bool' && !o.namedOnly) slots.push(i);
  });
  return slots;
}


/**
 * virsh's vshCommandParse: reads every command of the batch before any runs, so one syntax error anywhere means
 * nothing runs. Bare words fill the command's positional options in order; `--` makes every later word data;
 * `--opt=value` and `--opt value` are the same; `--help` turns the command into `help <command>`.
 */
export function parseCommands(tokens: TokenSource): ParsedCommand[] {
  const commands: ParsedCommand[] = [];
  const fail = (msg: string): never => {
    throw new ParseError([msg]);
  };
  const nextToken = (inComment = false) => {
    try {
      return tokens.next(inComment);
    } catch (e) {
      if (e instanceof TokenizeError) fail(e.message);
      throw e;
    }
  };

  for (;;) {
    let def: CommandDef | undefined;
    let dataOnly = false;
    let needArg: number[] = [];
    const seen = new Set<number>();
    const given: GivenOption[] = [];
    let sawHelp = false;
    let tk = nextToken();

    for (; tk !== undefined && tk.kind === 'arg'; tk = nextToken()) {
      const word = tk.text;
      if (def === undefined) {
        // A first word that starts with '#' (even quoted, or from argv) makes the whole command a comment.
        if (word.startsWith('#')) {
          do tk = nextToken(true);
          while (tk !== undefined && tk.kind === 'arg');
          break;
        }
        def = findCommand(word) ?? fail(`unknown command: '${word}'`);
        needArg = positionalSlots(def);
        continue;
      }
      const isHelp = def.name === 'help';
      const short = dataOnly || word.length !== 2 || word[0] !== '-' ? undefined : def.options.find((o) => o.short === word[1]);
      if (short !== undefined || (!dataOnly && word.startsWith('--') && isAlnum(word[2]))) {
        const eq = short ? -1 : word.indexOf('=', 2);
        const name = short ? short.name : eq < 0 ? word.slice(2) : word.slice(2, eq);
        const inline = eq < 0 ? undefined : word.slice(eq + 1);
        if (name === 'help') {
          if (inline !== undefined) fail("invalid '=' after option --help");
          sawHelp = true;
          continue;
        }
        const index = def.options.findIndex((o) => o.name === name);
        if (index < 0) {
          if (isHelp) continue;
          fail(`command '${def.name}' doesn't support option --${name}`);
        }
        const opt = def.options[index]!;
        if (seen.has(index) && opt.type !== 'argv') fail(`option --${name} already seen`);
        seen.add(index);
        if (opt.type === 'bool') {
          if (inline !== undefined) fail(`invalid '=' after option --${name}`);
          given.push({ def: opt, value: undefined });
          continue;
        }
        let value = inline;
        if (value === undefined) {
          const data = nextToken();
          if (data?.kind !== 'arg') fail(`expected syntax: --${opt.name} <${opt.type === 'int' ? 'number' : 'string'}>`);
          value = (data as Extract<Token, { kind: 'arg' }>).text;
        }
        if (opt.type !== 'argv') needArg = needArg.filter((i) => i !== index);
        given.push({ def: opt, value });
        continue;
      }
      if (!dataOnly && word === '--') {
        dataOnly = true;
        continue;
      }
      const slot = needArg[0];
      if (slot === undefined) {
        if (isHelp) continue;
        fail(`unexpected data '${word}'`);
      }
      const opt = def.options[slot!]!;
      if (opt.type !== 'argv') needArg = needArg.slice(1);
      seen.add(slot!);
      given.push({ def: opt, value: word });
    }

    if (def !== undefined) {
      if (sawHelp) {
        const help = findCommand('help')!;
        commands.push(new ParsedCommand(help, [{ def: help.options[0]!, value: def.name }]));
      } else {
        const missing = def.options
          .map((o, i) => ({ o, i }))
          .filter(({ o, i }) => o.required && !seen.has(i))
          .map(({ o }) =>
            o.type === 'data' || o.type === 'argv'
              ? `command '${def!.name}' requires <${o.name}> option`
              : `command '${def!.name}' requires --${o.name} option`,
          );
        if (missing.length > 0) throw new ParseError(missing);
        commands.push(new ParsedCommand(def, given));
      }
    }
    if (tk === undefined) break;
  }
  return commands;
}

