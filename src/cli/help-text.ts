/** The text of `help`, laid out exactly as virsh's vshCmddefHelp, vshCmdGrpHelp and cmdHelp lay it out. */
import type { CommandDef, CommandGroup, OptionDef } from './command-def.js';
import { COMMAND_GROUPS, COMMANDS } from './commands/table.js';
import { padRight } from './output.js';

function commandsOf(group: CommandGroup): CommandDef[] {
  return COMMANDS.filter((c) => c.group === group.keyword);
}

function groupBody(group: CommandGroup): string {
  let out = ` ${group.name} (help keyword '${group.keyword}'):\n`;
  for (const c of commandsOf(group)) out += `    ${padRight(c.name, 30)} ${c.help}\n`;
  return out;
}

/** `help GROUP`. */
export function formatGroupHelp(group: CommandGroup): string {
  return groupBody(group);
}

/** `help` alone: every group with its commands. */
export function formatGlobalHelp(): string {
  return 'Grouped commands:\n\n' + COMMAND_GROUPS.map((g) => `${groupBody(g)}\n`).join('');
}

/** Whether a bare word can fill the option (it is not a flag and not named-only). */
const positional = (o: OptionDef): boolean => o.type !== 'bool' && !o.namedOnly;

function synopsisPart(o: OptionDef, shortopt: boolean): string {
  switch (o.type) {
    case 'bool':
      return `[--${o.name}]`;
    case 'int':
      return o.required ? `<${o.name}>` : `[--${o.name} <number>]`;
    case 'string':
      return `[--${o.name} <string>]`;
    case 'data':
      return o.required ? `<${o.name}>` : `[<${o.name}>]`;
    case 'argv':
      if (shortopt) return o.required ? `{[--${o.name}] <string>}...` : `[[--${o.name}] <string>]...`;
      return o.required ? `<${o.name}>...` : `[<${o.name}>]...`;
  }
}

function optionLabel(o: OptionDef, shortopt: boolean): string {
  switch (o.type) {
    case 'bool':
      return `--${o.name}`;
    case 'int':
      return o.required ? `[--${o.name}] <number>` : `--${o.name} <number>`;
    case 'string':
      return `--${o.name} <string>`;
    case 'data':
      return `[--${o.name}] <string>`;
    case 'argv':
      return shortopt ? `[--${o.name}] <string>` : `<${o.name}>`;
  }
}

/** `help COMMAND` (or `COMMAND --help`): NAME, SYNOPSIS, DESCRIPTION and OPTIONS. */
export function formatCommandHelp(def: CommandDef): string {
  let out = `  NAME\n    ${def.name} - ${def.help}\n\n  SYNOPSIS\n    ${def.name}`;
  // virsh decides "[--opt] <string>..." for the trailing list by whether an earlier option takes a bare word.
  let shortopt = false;
  for (const o of def.options) {
    out += ` ${synopsisPart(o, shortopt)}`;
    if (o.type !== 'argv' && positional(o)) shortopt = true;
  }
  out += '\n';
  if (def.desc !== '') out += `\n  DESCRIPTION\n    ${def.desc}\n`;
  if (def.options.length > 0) {
    out += '\n  OPTIONS\n';
    for (const o of def.options) out += `    ${padRight(optionLabel(o, shortopt), 15)}  ${o.help}\n`;
  }
  return `${out}\n`;
}
