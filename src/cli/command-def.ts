import type { CommandContext } from './context.js';
import type { ParsedCommand } from './parse.js';

/**
 * virsh's option kinds: a flag, a number or string that may also be given by position, a required positional
 * string (`<domain>`), and the trailing list of words (`echo`'s arguments).
 */
export type OptionType = 'bool' | 'int' | 'string' | 'data' | 'argv';

/** One option of a command (virsh's vshCmdOptDef). */
export interface OptionDef {
  readonly name: string;
  readonly type: OptionType;
  /** The command fails to parse without it (VSH_OFLAG_REQ). */
  readonly required?: boolean;
  /** Only `--name value` sets it, never a bare word (VSH_OFLAG_REQ_OPT). */
  readonly namedOnly?: boolean;
  /** An empty string is a valid value (VSH_OFLAG_EMPTY_OK). */
  readonly emptyOk?: boolean;
  /**
   * A one-letter spelling (`-c` for `--connect`). virsh's commands have none; virtune's own commands use it where
   * their documented syntax has one (`cim-serve -c URI`).
   */
  readonly short?: string;
  readonly help: string;
}

/** What a command does: true on success. Library errors it does not handle itself propagate to the runner. */
export type CommandHandler = (ctl: CommandContext, cmd: ParsedCommand) => Promise<boolean>;

/** One command (virsh's vshCmdDef): its help texts, its options and a loader for its handler. */
export interface CommandDef {
  readonly name: string;
  /** The group keyword it is listed under in `help`. */
  readonly group: string;
  readonly help: string;
  readonly desc: string;
  readonly options: readonly OptionDef[];
  /** Runs without a connection (help, echo, quit). */
  readonly noConnect?: boolean;
  /** Loaded on first use, so a batch pays only for the commands it runs. */
  readonly load: () => Promise<CommandHandler>;
}

/** A `help` group: its title and its keyword. */
export interface CommandGroup {
  readonly name: string;
  readonly keyword: string;
}
