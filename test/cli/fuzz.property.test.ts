// Fuzzing the CLI: command strings and argv made of the command table's own words (every command and option,
// derived from src/cli/commands/table.ts) mixed with quotes, escapes, separators, comments and random text.
// The lexer and parser end in commands or a ParseError; the global options in options or a GlobalOptionError; and a
// whole run of `virtune -c test:///default BATCH` resolves to status 0 or 1 — never throws, never hangs (per-case
// deadline). A CI slice runs in `npm test`; `npm run fuzz` runs the full count (test/helpers/fuzz.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/table.js';
import { GlobalOptionError, parseGlobalOptions } from '../../src/cli/global-options.js';
import { ParseError, parseCommands } from '../../src/cli/parse.js';
import { ArgvTokens, CommandLexer } from '../../src/cli/tokenize.js';
import { FuzzTally, fuzzRuns, withinDeadline } from '../helpers/fuzz.js';
import { runMain } from './helpers/run-main.js';

/**
 * Commands the run fuzzing leaves out, each for what it does besides talking to the connection: they are parsed
 * like every other command, just not run.
 */
const NOT_RUN: Record<string, string> = {
  'cim-serve': 'listens on a TCP port until stopped',
  autopilot: 'loops over intervals until stopped',
  connect: 'would open any URI it is given (a real LXC or QEMU root)',
  define: 'reads any path it is given as a file',
};

const ALL = COMMANDS.map((c) => c.name);
const RUNNABLE = ALL.filter((n) => !(n in NOT_RUN));
const OPTIONS = [...new Set(COMMANDS.flatMap((c) => c.options.map((o) => `--${o.name}`)))];

/** Words of a command line: the table's own, values at the edges of each option type, and noise. */
function words(commands: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...commands) },
    { weight: 4, arbitrary: fc.constantFrom(...OPTIONS) },
    { weight: 3, arbitrary: fc.constantFrom('test', '1', '6695eb01-f6a4-8304-79aa-97f2502e193f', 'nope', '-1', '0', '1G', '9EiB', '18446744073709551616', '1.5', 'KiB', 'furlongs', '--', '-', '--config', '--live', '--current', '--help', '--json') },
    { weight: 2, arbitrary: fc.constantFrom(';', '\n', '#', "'", '"', '\\', '\\\n', ' ', '\t', '=', '--opt=', '\0', '\u202e', '\ud800') },
    fc.string({ maxLength: 8 }),
  );
}

const line = (commands: readonly string[]): fc.Arbitrary<string> =>
  fc.array(fc.tuple(words(commands), fc.constantFrom(' ', '', ' ', '\t')), { maxLength: 14 }).map((ws) => ws.map(([w, s]) => w + s).join(''));

describe('fuzzing the CLI: every command line ends in commands, a usage error or an exit status', () => {
  it('the lexer and the parser (command strings and argv words, every command of the table)', async () => {
    const tally = new FuzzTally('cli lexer and parser');
    await fc.assert(
      fc.asyncProperty(line(ALL), fc.array(words(ALL), { maxLength: 10 }), async (text, argv) => {
        tally.case();
        await withinDeadline(() => `parse ${JSON.stringify(text)} / ${JSON.stringify(argv)}`, () => {
          for (const source of [new CommandLexer(text), new ArgvTokens(argv)]) {
            try {
              const commands = parseCommands(source);
              for (const c of commands) expect(ALL).toContain(c.def.name);
            } catch (e) {
              if (!(e instanceof ParseError)) throw e;
            }
          }
          try {
            parseGlobalOptions(['-q', ...argv]);
          } catch (e) {
            if (!(e instanceof GlobalOptionError)) throw e;
          }
        });
      }),
      { numRuns: fuzzRuns(1_500, 25_000) },
    );
    tally.report();
  });

  it('whole runs on test:///default (every command but those that leave the connection)', async () => {
    const tally = new FuzzTally('cli runs');
    await fc.assert(
      // A batch that begins with '-' is read as options, not commands (the parser test covers that), and `--` alone
      // would open the interactive shell on this process's stdin: both are left to the parser test.
      fc.asyncProperty(line(RUNNABLE).filter((b) => !b.trimStart().startsWith('-')), fc.boolean(), async (batch, readOnly) => {
        tally.case();
        const argv = ['-q', ...(readOnly ? ['-r'] : []), '-c', 'test:///default', batch];
        const r = await withinDeadline(() => `virtune ${JSON.stringify(argv)}`, () => runMain(argv));
        expect([0, 1]).toContain(r.status);
      }),
      { numRuns: fuzzRuns(150, 8_000) },
    );
    tally.report();
  });
});
