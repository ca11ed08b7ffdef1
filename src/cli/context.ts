import type { Connection } from '../connection/connection.js';

/** Where the command line writes: process.stdout/stderr, or a buffer in tests. */
export interface Sink {
  write(text: string): unknown;
}

/** The options that hold for a whole run (virsh's global options). */
export interface RunOptions {
  uri: string;
  quiet: boolean;
  readOnly: boolean;
  /** virsh's `-t`: each command is followed by how long it took. */
  timing?: boolean;
}

/**
 * What every command sees (virsh's vshControl): the output streams, the connection, and the error that the
 * runner reports when a command fails.
 */
export class CommandContext {
  /** The error reported after a failed command (virsh's last_error); cleared once printed. */
  lastError: unknown;
  /** Set by quit/exit: the shell stops reading. */
  quitRequested = false;
  #conn: Connection | undefined;

  constructor(
    readonly options: RunOptions,
    readonly stdout: Sink,
    readonly stderr: Sink,
  ) {}

  /** virsh's vshPrint: always printed. */
  print(text: string): void {
    this.stdout.write(text);
  }

  /** virsh's vshPrintExtra: informational output that `-q` silences. */
  printExtra(text: string): void {
    if (!this.options.quiet) this.stdout.write(text);
  }

  /** virsh's vshError: one `error: ` line on stderr. */
  error(message: string): void {
    this.stderr.write(`error: ${message}\n`);
  }

  /**
   * A failed command: its own `error: MESSAGE` now and, when given, the library error that caused it for the
   * runner to print after. Returns false, the handler's result.
   */
  fail(message: string, cause?: unknown): false {
    this.error(message);
    if (cause !== undefined) this.setError(cause);
    return false;
  }

  /** Records a library error for the runner to print after the command's own message. */
  setError(e: unknown): void {
    this.lastError = e;
  }

  /** Prints the pending error, if any, and forgets it (virsh's vshReportError). */
  reportError(): void {
    const e = this.lastError;
    this.lastError = undefined;
    if (e === undefined) return;
    this.error(e instanceof Error ? e.message : String(e));
  }

  get connected(): boolean {
    return this.#conn !== undefined && !this.#conn.isClosed;
  }

  /** Opens the connection to `uri` (replacing any open one); the library is loaded only now. */
  async connect(uri = this.options.uri, readOnly = this.options.readOnly): Promise<Connection> {
    const { openConnection } = await import('../connection/connection.js');
    const conn = await openConnection(uri, { readOnly });
    await this.close();
    this.#conn = conn;
    this.options.uri = uri;
    this.options.readOnly = readOnly;
    return conn;
  }

  /** The open connection; commands that need one run only after the runner has connected. */
  get conn(): Connection {
    if (this.#conn === undefined) throw new Error('not connected');
    return this.#conn;
  }

  async close(): Promise<void> {
    const c = this.#conn;
    this.#conn = undefined;
    await c?.close();
  }
}
