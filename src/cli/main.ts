/**
 * The `virtune` command line: virsh's global options, batches and interactive shell over virtune's library.
 * This module stays light — the library, drivers and XML code load only when a command needs them — so a
 * one-shot command starts nearly as fast as node itself.
 */
import { CommandContext, type Sink } from './context.js';
import { GlobalOptionError, parseGlobalOptions } from './global-options.js';
import { connectOrReport, runBatch } from './run.js';
import { ArgvTokens, CommandLexer, type TokenSource } from './tokenize.js';

/** The URI used without `-c`: VIRTUNE_DEFAULT_URI, then LIBVIRT_DEFAULT_URI, then the test driver. */
export function defaultURI(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIRTUNE_DEFAULT_URI || env.LIBVIRT_DEFAULT_URI || 'test:///default';
}

/** Where `main` reads and writes; tests pass buffers. */
export interface MainIO {
  stdout: Sink;
  stderr: Sink;
  env?: NodeJS.ProcessEnv;
  /** The interactive shell's input; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

/**
 * Runs the command line with `argv` (the words after `virtune`) and resolves to the exit status: 0 when the last
 * command succeeded, 1 otherwise, as virsh.
 */
export async function main(argv: readonly string[], io?: MainIO): Promise<number> {
  const stdout = io?.stdout ?? process.stdout;
  const stderr = io?.stderr ?? process.stderr;
  let opts;
  try {
    opts = parseGlobalOptions(argv);
  } catch (e) {
    if (!(e instanceof GlobalOptionError)) throw e;
    stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  for (const w of opts.warnings) stderr.write(`error: ${w}\n`);
  if (opts.help) {
    stdout.write((await import('./usage.js')).formatUsage());
    return 0;
  }
  if (opts.version !== undefined) {
    const { packageVersion } = await import('./package-version.js');
    const { formatLongVersion } = await import('./usage.js');
    stdout.write(opts.version === 'long' ? formatLongVersion(packageVersion()) : `${packageVersion()}\n`);
    return 0;
  }

  // An empty -c is no URI at all (virConnectOpen treats "" as NULL): the default applies.
  const ctl = new CommandContext(
    { uri: opts.uri || defaultURI(io?.env), quiet: opts.quiet, readOnly: opts.readOnly, timing: opts.timing },
    stdout,
    stderr,
  );
  const run = async (): Promise<number> => {
    if (opts.rest.length === 0) {
      // Like virsh, the shell opens its connection first: if it cannot, there is no shell and the status is 1.
      if (!(await connectOrReport(ctl))) return 1;
      const { runShell } = await import('./shell.js');
      return await runShell(ctl, io?.stdin ?? process.stdin);
    }
    // virsh refuses an empty command string outright.
    if (opts.rest.length === 1 && opts.rest[0] === '') return 1;
    const source: TokenSource = opts.rest.length === 1 ? new CommandLexer(opts.rest[0]!) : new ArgvTokens(opts.rest);
    return (await runBatch(ctl, source)) ? 0 : 1;
  };
  let status = 1;
  try {
    status = await run();
  } finally {
    // What the connection could not finish at close (a deferred status save on a full disk) fails the run.
    try {
      await ctl.close();
    } catch (e) {
      stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      status = 1;
    }
  }
  return status;
}
