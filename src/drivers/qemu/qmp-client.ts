import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { basename, dirname } from 'node:path';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { parseQmpJson, stringifyQmpJson, type QmpObject, type QmpValue } from './qmp-json.js';

/** An asynchronous event from QEMU (`BALLOON_CHANGE`, `SHUTDOWN`, `STOP`, ...). */
export interface QmpEvent {
  event: string;
  data: QmpObject;
  /** QEMU's host clock when it sent the event. */
  timestamp: { seconds: number; microseconds: number };
}

/** QEMU's greeting: its version and the capabilities it offers. */
export interface QmpGreeting {
  version: { qemu: { major: number; minor: number; micro: number }; package: string };
  capabilities: string[];
}

export interface QmpConnectOptions {
  /**
   * How long to keep trying to reach the socket and finish the handshake, ms. QEMU creates the socket a little
   * after it starts, so a fresh process is retried until then. Default 10 000.
   */
  timeoutMs?: number;
  /** Deadline of a command that names none, ms. Default 30 000. */
  commandTimeoutMs?: number;
}

export interface QmpCommandOptions {
  /** Deadline for the answer, ms; past it the command rejects with OPERATION_TIMEOUT. */
  timeoutMs?: number;
}

/** QEMU answered a command with `{"error": ...}`: libvirt's `unable to execute QEMU command` error. */
export class QmpCommandError extends VirError {
  constructor(
    readonly command: string,
    /** QMP's error class (`GenericError`, `CommandNotFound`, `DeviceNotActive`, ...). */
    readonly qmpClass: string,
    readonly desc: string,
  ) {
    super(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, `unable to execute QEMU command '${command}': ${desc}`);
  }
}

interface Pending {
  command: string;
  resolve(v: QmpValue): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

const RETRYABLE_CONNECT = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);

/** The error every pending and later command gets once the monitor is gone (QEMU exited or we closed). */
export function monitorEofError(): VirError {
  return new VirError(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU, 'End of file from qemu monitor');
}

/**
 * A client for one QEMU monitor socket (QMP). It performs the greeting and `qmp_capabilities`, gives every command
 * an id and a deadline, delivers events, and parses big integers exactly. When QEMU dies every pending command
 * rejects at once with a {@link VirError}; nothing waits for a deadline and nothing is left open.
 *
 * The socket does not keep Node's event loop alive by itself; a pending command's deadline does.
 *
 * @example
 * ```ts
 * const qmp = await QmpClient.connect('/run/virtune/qemu/vm1.monitor');
 * const { actual } = (await qmp.execute('query-balloon')) as { actual: number };
 * qmp.on('event', (e) => console.log(e.event, e.data));
 * await qmp.close();
 * ```
 */
export class QmpClient extends EventEmitter<{ event: [QmpEvent]; close: [VirError] }> {
  readonly #socket: Socket;
  readonly #pending = new Map<string, Pending>();
  readonly #commandTimeoutMs: number;
  readonly #greeted: Promise<QmpGreeting>;
  #onGreeting: ((msg: QmpValue) => void) | undefined;
  #greeting: QmpGreeting | undefined;
  #buffer = '';
  #nextId = 1;
  #closedWith: VirError | undefined;

  private constructor(socket: Socket, path: string, commandTimeoutMs: number) {
    super();
    // Every reclaim and stop waits on events; many may wait at once and none of them is a leak.
    this.setMaxListeners(0);
    this.#socket = socket;
    this.#commandTimeoutMs = commandTimeoutMs;
    this.#greeted = new Promise<QmpGreeting>((resolve, reject) => {
      this.#onGreeting = (msg) => {
        this.#onGreeting = undefined;
        const qmp = msg !== null && typeof msg === 'object' && !Array.isArray(msg) ? msg.QMP : undefined;
        if (qmp === undefined || qmp === null || typeof qmp !== 'object') {
          const err = new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, `no QMP greeting on ${path}`);
          reject(err);
          this.#shutdown(err);
          socket.destroy();
          return;
        }
        this.#greeting = qmp as unknown as QmpGreeting;
        resolve(this.#greeting);
      };
      this.once('close', reject);
    });
    // Whoever connects awaits the greeting; a monitor that closes before it must not leave an unhandled rejection.
    this.#greeted.catch(() => undefined);
    socket.on('data', (chunk: string) => this.#onData(chunk));
    socket.on('close', () => this.#shutdown(monitorEofError()));
    socket.unref();
  }

  /**
   * Connects to a QMP socket, reads the greeting and leaves capabilities negotiation mode.
   * @throws VirError SYSTEM_ERROR if the socket cannot be reached before the deadline, OPERATION_TIMEOUT if QEMU
   * does not greet in time, OPERATION_FAILED if it closes the socket.
   */
  static async connect(path: string, options: QmpConnectOptions = {}): Promise<QmpClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    const socket = await connectWithRetry(path, deadline);
    const client = new QmpClient(socket, path, options.commandTimeoutMs ?? 30_000);
    try {
      // QEMU reads a client's commands only after it has greeted it, so qmp_capabilities goes out now rather than
      // one round trip later; the greeting is still checked first.
      const capabilities = client.execute('qmp_capabilities', undefined, { timeoutMs: Math.max(1, deadline - Date.now()) });
      capabilities.catch(() => undefined);
      await client.#waitForGreeting(deadline, path);
      await capabilities;
      return client;
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  /** QEMU's greeting: its version and capabilities. */
  get greeting(): QmpGreeting {
    if (this.#greeting === undefined) throw new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, 'QEMU has not greeted yet');
    return this.#greeting;
  }

  /** Resolves with the greeting, or rejects at `deadline` (ms since the epoch) or when the monitor closes first. */
  async #waitForGreeting(deadline: number, path: string): Promise<QmpGreeting> {
    let timer: NodeJS.Timeout | undefined;
    // A QMP server serves one client at a time: a second client is accepted but not greeted until the first leaves.
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new VirError(
              ErrorCode.OPERATION_TIMEOUT,
              ErrorDomain.QEMU,
              `no QMP greeting on ${path} (is another client connected to the monitor?)`,
            ),
          ),
        Math.max(1, deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([this.#greeted, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** True once the monitor is gone. */
  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /** Commands sent and not yet answered. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Runs one QMP command and resolves with its `return` value.
   * @throws QmpCommandError when QEMU answers with an error; VirError OPERATION_TIMEOUT past the deadline;
   * VirError OPERATION_FAILED when the monitor closes first.
   */
  execute(command: string, args?: QmpObject, options: QmpCommandOptions = {}): Promise<QmpValue> {
    if (this.#closedWith) return Promise.reject(monitorEofError());
    const id = `virtune-${this.#nextId++}`;
    const timeoutMs = options.timeoutMs ?? this.#commandTimeoutMs;
    return new Promise<QmpValue>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new VirError(
            ErrorCode.OPERATION_TIMEOUT,
            ErrorDomain.QEMU,
            `QEMU monitor did not answer '${command}' within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.#pending.set(id, { command, resolve, reject, timer });
      const msg: QmpObject = { execute: command, id };
      if (args !== undefined) msg.arguments = args;
      this.#socket.write(`${stringifyQmpJson(msg)}\r\n`);
    });
  }

  /**
   * Resolves with the next event named `name` that satisfies `accept`, or rejects with OPERATION_TIMEOUT at the
   * deadline, or with OPERATION_FAILED if the monitor closes first.
   */
  waitForEvent(name: string, timeoutMs: number, accept: (e: QmpEvent) => boolean = () => true): Promise<QmpEvent> {
    if (this.#closedWith) return Promise.reject(monitorEofError());
    return new Promise<QmpEvent>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.off('event', onEvent);
        this.off('close', onClose);
      };
      const onEvent = (e: QmpEvent): void => {
        if (e.event !== name || !accept(e)) return;
        done();
        resolve(e);
      };
      const onClose = (err: VirError): void => {
        done();
        reject(err);
      };
      const timer = setTimeout(() => {
        done();
        reject(new VirError(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU, `no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('event', onEvent);
      this.once('close', onClose);
    });
  }

  /** Closes the socket; pending commands reject. QEMU keeps running. */
  async close(): Promise<void> {
    if (this.#closedWith) return;
    const closed = new Promise<void>((r) => this.#socket.once('close', () => r()));
    this.#socket.destroy();
    await closed;
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    this.#drain();
  }

  #drain(): void {
    let nl: number;
    while ((nl = this.#buffer.indexOf('\n')) >= 0) {
      const line = this.#buffer.slice(0, nl).trim();
      this.#buffer = this.#buffer.slice(nl + 1);
      if (line !== '') this.#onMessage(line);
    }
  }

  #onMessage(line: string): void {
    let msg: QmpValue;
    try {
      msg = parseQmpJson(line);
    } catch {
      // QEMU only sends JSON; a broken line cannot be matched to anything, so it is dropped (or, first, is no greeting).
      this.#onGreeting?.(null);
      return;
    }
    if (this.#onGreeting) {
      this.#onGreeting(msg);
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return;
    if (typeof msg.event === 'string') {
      const ts = msg.timestamp as { seconds?: number; microseconds?: number } | undefined;
      this.emit('event', {
        event: msg.event,
        data: (msg.data as QmpObject | undefined) ?? {},
        timestamp: { seconds: Number(ts?.seconds ?? 0), microseconds: Number(ts?.microseconds ?? 0) },
      });
      return;
    }
    if (!('return' in msg) && !('error' in msg)) return;
    const id = typeof msg.id === 'string' ? msg.id : this.#pending.keys().next().value;
    if (id === undefined) return;
    const p = this.#pending.get(id);
    if (!p) return; // the answer to a command whose deadline already passed
    this.#pending.delete(id);
    clearTimeout(p.timer);
    if ('error' in msg) {
      const err = (msg.error ?? {}) as { class?: string; desc?: string };
      p.reject(new QmpCommandError(p.command, String(err.class ?? 'GenericError'), String(err.desc ?? 'unknown error')));
    } else {
      p.resolve(msg.return ?? null);
    }
  }

  #shutdown(err: VirError): void {
    if (this.#closedWith) return;
    this.#closedWith = err;
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.#pending.clear();
    this.emit('close', err);
    this.removeAllListeners('event');
  }
}

function connectOnce(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/**
 * How often to try the socket again while it does not accept yet, ms. The file watch below usually wakes the
 * wait sooner; this covers what inotify does not report (a socket bound but not yet listening, a watch that could
 * not be set up). A failed attempt costs a few µs, and QEMU's socket is typically ready 25–70 ms after spawn.
 */
const CONNECT_POLL_MS = 2;

/**
 * Connects to `path`, waiting for QEMU to create and listen on it until `deadline`. Rather than retrying on a
 * backoff (which rounds a socket ready at 29 ms up to the next attempt), it watches the socket's directory and
 * tries again as soon as the file appears, and at least every {@link CONNECT_POLL_MS}. The watch and the timer
 * are released on every way out.
 */
async function connectWithRetry(path: string, deadline: number): Promise<Socket> {
  // Made at the first miss only: a socket that is already there (the driver's own, handed to QEMU) needs no watch.
  let waiter: SocketWaiter | undefined;
  try {
    for (;;) {
      try {
        const s = await connectOnce(path);
        s.setEncoding('utf8');
        // Errors are always followed by 'close', which every stage handles; this keeps them from being uncaught.
        s.on('error', () => {});
        return s;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        const left = deadline - Date.now();
        if (!RETRYABLE_CONNECT.has(code) || left <= 0) {
          throw new VirError(
            ErrorCode.SYSTEM_ERROR,
            ErrorDomain.QEMU,
            `failed to connect to monitor socket: ${(e as Error).message}`,
            { errno: code, path, cause: e },
          );
        }
        waiter ??= new SocketWaiter(path);
        await waiter.next(Math.min(CONNECT_POLL_MS, left));
      }
    }
  } finally {
    waiter?.close();
  }
}

/** Wakes a waiting connect when something happens to the socket's file, or after a short poll interval. */
class SocketWaiter {
  readonly #name: string;
  readonly #watcher: FSWatcher | undefined;
  #wake: (() => void) | undefined;

  constructor(path: string) {
    this.#name = basename(path);
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
        // Some platforms do not name the file: then any change may be the socket.
        if (file === null || file === this.#name) this.#wake?.();
      });
      watcher.on('error', () => {
        /* the directory went away: the poll carries on until the deadline */
      });
    } catch {
      // No directory yet, or no inotify: the poll alone finds the socket.
    }
    this.#watcher = watcher;
  }

  /** Resolves when the socket's file changes or after `ms`, whichever comes first. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.#wake = undefined;
        resolve();
      }
      this.#wake = done;
    });
  }

  close(): void {
    this.#wake = undefined;
    this.#watcher?.close();
  }
}
