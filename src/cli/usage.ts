/** `virtune -h` and `-V`: virsh's usage layout, listing virtune's commands. */
import { COMMAND_GROUPS, COMMANDS } from './commands/table.js';
import { padRight } from './output.js';

/** The text of `virtune -h`. */
export function formatUsage(): string {
  let out =
    '\n' +
    'virtune [options]... [<command_string>]\n' +
    'virtune [options]... <command> [args...]\n\n' +
    '  options:\n' +
    '    -c | --connect=URI      hypervisor connection URI\n' +
    '    -h | --help             this help\n' +
    '    -q | --quiet            quiet mode\n' +
    '    -r | --readonly         connect readonly\n' +
    '    -t | --timing           print timing information\n' +
    '    -v                      short version\n' +
    '    -V                      long version\n' +
    '         --version[=TYPE]   version, TYPE is short or long (default short)\n' +
    '  commands (non interactive mode):\n\n';
  for (const g of COMMAND_GROUPS) {
    out += ` ${g.name} (help keyword '${g.keyword}')\n`;
    for (const c of COMMANDS.filter((c) => c.group === g.keyword)) out += `    ${padRight(c.name, 30)} ${c.help}\n`;
    out += '\n';
  }
  out +=
    '\n  (specify help <group> for details about the commands in the group)\n\n' +
    '  (specify help <command> for details about the command)\n\n' +
    '  The connection URI defaults to $VIRTUNE_DEFAULT_URI, then $LIBVIRT_DEFAULT_URI, then test:///default.\n\n';
  return out;
}

/** The text of `virtune -V`. */
export function formatLongVersion(version: string): string {
  return (
    `Virtune command line tool of virtune ${version}\n` +
    'Drivers: test qemu lxc unsupported\n'
  );
}
