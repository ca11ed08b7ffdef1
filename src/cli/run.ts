import type { CommandContext } from './context.js';
import { ParseError, parseCommands, type ParsedCommand } from './parse.js';
import type { TokenSource } from './tokenize.js';

/**
 * Runs a parsed batch in one connection, as virsh's vshCommandRun does: a failed command prints its error and the
 * batch goes on; the result is the last command's; `quit`/`exit` stop the batch; each command is followed by an
 * empty line unless `-q` was given (or, with `-t`, by the time it took).
 */
export async function runCommands(ctl: CommandContext, commands: readonly ParsedCommand[]): Promise<boolean> {
  let ok = true;
  for (const cmd of commands) {
    // The clock only with -t: the first use of the global `performance` loads perf_hooks (cold start).
    const start = ctl.options.timing ? performance.now() : 0;
    ok = await runOne(ctl, cmd);
    if (!ok) ctl.reportError();
    if (cmd.def.name === 'quit' || cmd.def.name === 'exit') return ok;
    if (ctl.options.timing) ctl.print(`\n(Time: ${(performance.now() - start).toFixed(3)} ms)\n\n`);
    else ctl.printExtra('\n');
  }
  return ok;
}

async function runOne(ctl: CommandContext, cmd: ParsedCommand): Promise<boolean> {
  ctl.lastError = undefined;
  try {
    if (!cmd.def.noConnect && !ctl.connected && !(await connectOrReport(ctl))) return false;
    const handler = await cmd.def.load();
    return await handler(ctl, cmd);
  } catch (e) {
    ctl.setError(e);
    return false;
  }
}

/** Opens the run's connection; on failure prints virsh's two lines and returns false. */
export async function connectOrReport(ctl: CommandContext): Promise<boolean> {
  try {
    await ctl.connect();
    return true;
  } catch (e) {
    ctl.error('failed to connect to the hypervisor');
    ctl.setError(e);
    ctl.reportError();
    return false;
  }
}

/**
 * Parses a whole batch, then runs it. Like virsh, a syntax error anywhere runs nothing; the connection is opened
 * before the first command, and if it cannot be, nothing runs.
 */
export async function runBatch(ctl: CommandContext, source: TokenSource): Promise<boolean> {
  let commands: ParsedCommand[];
  try {
    commands = parseCommands(source);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    for (const line of e.lines) ctl.error(line);
    return false;
  }
  // Load the handlers while the connection opens rather than after: module loading dominates a one-shot run.
  // A handler that fails to load fails again, and is reported, when its command runs.
  for (const c of commands) c.def.load().catch(() => undefined);
  if (commands.some((c) => !c.def.noConnect) && !ctl.connected && !(await connectOrReport(ctl))) return false;
  return runCommands(ctl, commands);
}
