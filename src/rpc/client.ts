import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import { DeadlineTimer } from './deadline-timer.js';
import { FrameDecoder } from './framing.js';
import { connectError } from './socket-errors.js';
import {
  HEADER_SIZE,
  KEEPALIVE_PROC_PING,
  KEEPALIVE_PROC_PONG,
  KEEPALIVE_PROGRAM,
  KEEPALIVE_PROTOCOL_VERSION,
  LENGTH_WORD,
  MESSAGE_MAX,
  MessageStatus,
  MessageType,
  readHeader,
  readWireError,
  writeHeader,
  type MessageHeader,
} from './protocol.js';
import { XdrError, XdrReader, XdrWriter } from './xdr.js';

/** One message the server sent on its own (an event): its header and a reader positioned at the payload. */
export interface ServerMessage {
  header: MessageHeader;
  body: XdrReader;
}

export interface KeepaliveOptions {
  /** Send a PING after this long without hearing from the server, ms (libvirt: 5 s). */
  intervalMs: number;
  /** Close the connection after this many unanswered PINGs (libvirt: 5). */
  count: number;
  /**
   * Asks the server whether it speaks the keepalive program, the first time the connection has been quiet for
   * `intervalMs`; until it says yes no PING is sent, and a no ends keepalive. Absent: the server is known to.
   * Asking only then keeps the question off the open of every connection that closes sooner.
   */
  probe?: () => Promise<boolean>;
}

export interface RpcClientOptions {
  /** Deadline of a call that names none, ms. Default 30 000. */
  callTimeoutMs?: number;
  /** The largest message accepted or sent (header + payload). Default libvirt's `VIR_NET_MESSAGE_MAX`. */
  maxMessage?: number;
  /**
   * How received bytes reach the client, when not by the stream's 'data' events: called once with the client's
   * reader (a socket read with net's `onread` hands its chunks over this way; see transports/socket.ts).
   */
  read?: (reader: (chunk: Buffer) => void) => void;
}

export interface CallOptions {
  timeoutMs?: number;
}

/** Writes a call's arguments; absent when the procedure takes none. */
export type ArgsWriter = ((w: XdrWriter) => void) | undefined;
/** Reads a reply's payload; absent when the procedure returns nothing. */
export type ReplyReader<T> = ((r: XdrReader) => T) | undefined;

interface Pending {
  proc: number;
  read: ReplyReader<unknown>;
  resolve(value: unknown): void;
  reject(e: Error): void;
  /** `performance.now()` past which the call fails; Infinity for none. */
  deadline: number;
  timeoutMs: number;
}

interface KeepaliveState {
  options: KeepaliveOptions;
  timer: DeadlineTimer;
  unanswered: number;
  /** Whether the server speaks keepalive: undefined until the probe answers. */
  supported: boolean | undefined;
  probing: boolean;
}

/**
 * How long a closed connection waits for the peer to close its side before cutting it off, ms: libvirt's keepalive
 * interval, the time after which libvirt's client starts to doubt a quiet daemon. A daemon closes right after
 * answering CONNECT_CLOSE; one that is only slow (a loaded machine) must not see the stream end first, which it
 * would log as an error.
 */
export const CLOSE_LINGER_MS = 5000;

/** libvirt's error for a call on a connection that is gone. */
export function socketClosedError(): VirError {
  return new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, 'client socket is closed');
}

const endOfFileError = (): VirError => new VirError(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, 'End of file while reading data: Input/output error');

/** The server's error, as libvirt's client raises it: the server's code, domain and message, unchanged. */
export function serverError(code: number, domain: number, message: string | undefined): VirError {
  return new VirError(code as ErrorCode, domain as ErrorDomain, message, { verbatim: message !== undefined });
}

const protocolError = (msg: string, cause?: unknown): VirError =>
  new VirError(ErrorCode.RPC, ErrorDomain.RPC, msg, cause === undefined ? {} : { cause });

/**
 * A client for libvirt's RPC protocol over any byte stream (unix socket, TCP, an ssh channel). Calls get serial
 * numbers and may overlap freely; replies are matched by serial. Every call has a deadline. When the stream ends,
 * or the peer sends something that breaks the protocol, the connection closes and every pending call rejects at
 * once with a {@link VirError}; nothing waits for a deadline and nothing stays open.
 *
 * Keepalive: a PING from the server is always answered. {@link startKeepalive} makes the client PING the server
 * after a quiet interval and give up after `count` unanswered ones, as libvirt's client does.
 */
export class RpcClient extends EventEmitter<{ message: [ServerMessage]; close: [VirError] }> {
  readonly #stream: Duplex;
  readonly #frames: FrameDecoder;
  readonly #pending = new Map<number, Pending>();
  readonly #callTimeoutMs: number;
  readonly #maxMessage: number;
  /** Serials whose deadline passed: their late replies are dropped, not treated as a protocol error. */
  readonly #timedOut = new Set<number>();
  readonly #deadlines = new DeadlineTimer((now) => this.#expire(now));
  #outbox: Buffer[] = [];
  #serial = 1;
  #isClosed = false;
  #keepalive: KeepaliveState | undefined;
  /** PINGs received from the server and PONGs it sent back to ours: visible for tests and diagnostics. */
  readonly stats = { pingsReceived: 0, pongsReceived: 0, pingsSent: 0 };

  constructor(stream: Duplex, options: RpcClientOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.#stream = stream;
    this.#callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.#maxMessage = options.maxMessage ?? MESSAGE_MAX;
    this.#frames = new FrameDecoder(this.#maxMessage);
    const reader = (chunk: Buffer): void => this.#onData(chunk);
    if (options.read) options.read(reader);
    else stream.on('data', reader);
    stream.on('error', (e: Error) => this.#shutdown(() => connectError('Cannot recv data', e)));
    stream.on('close', () => this.#shutdown(endOfFileError));
    stream.on('end', () => this.#shutdown(endOfFileError));
  }

  get closed(): boolean {
    return this.#isClosed;
  }

  /** Calls sent and not yet answered. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Calls procedure `proc` of program `prog` and resolves with the decoded reply.
   * @throws VirError with the server's code, domain and message when the server reports an error; RPC when the
   * reply cannot be decoded; OPERATION_TIMEOUT past the deadline; INTERNAL_ERROR / SYSTEM_ERROR when the
   * connection is or becomes closed.
   */
  call<T>(prog: number, vers: number, proc: number, args: ArgsWriter, reply: ReplyReader<T>, options: CallOptions = {}): Promise<T> {
    if (this.#isClosed) return Promise.reject(socketClosedError());
    let message: Buffer;
    const serial = this.#serial;
    this.#serial = (this.#serial + 1) >>> 0 || 1;
    try {
      message = this.#encode({ prog, vers, proc, type: MessageType.CALL, serial, status: MessageStatus.OK }, args);
    } catch (e) {
      return Promise.reject(e instanceof VirError ? e : protocolError(`Unable to encode message payload: ${(e as Error).message}`, e));
    }
    const timeoutMs = options.timeoutMs ?? this.#callTimeoutMs;
    const deadline = timeoutMs > 0 && Number.isFinite(timeoutMs) ? performance.now() + timeoutMs : Infinity;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(serial, { proc, read: reply, resolve: resolve as (v: unknown) => void, reject, deadline, timeoutMs });
      if (deadline !== Infinity) this.#deadlines.arm(deadline);
      this.#write(message);
    });
  }

  /** Fails the calls whose deadline has passed; returns the earliest deadline still pending. */
  #expire(now: number): number {
    let next = Infinity;
    for (const [serial, p] of this.#pending) {
      if (p.deadline > now) {
        if (p.deadline < next) next = p.deadline;
        continue;
      }
      this.#pending.delete(serial);
      this.#timedOut.add(serial);
      // Bounded: a server that never answers must not make this grow without end.
      if (this.#timedOut.size > 4096) this.#timedOut.delete(this.#timedOut.values().next().value!);
      p.reject(new VirError(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.RPC, `no reply to procedure ${p.proc} within ${p.timeoutMs} ms`));
    }
    return next;
  }

  /**
   * Queues a message; everything queued in one run of the event loop goes out in one write. Pipelined calls (the
   * four of an open, a burst of calls in flight) then cost the peer one wake-up and us one system call.
   */
  #write(message: Buffer): void {
    this.#outbox.push(message);
    if (this.#outbox.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    const out = this.#outbox;
    if (out.length === 0) return;
    this.#outbox = [];
    if (this.#stream.writableEnded || this.#stream.destroyed) return;
    this.#stream.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  }

  /**
   * Sends a call whose answer nobody waits for (CONNECT_CLOSE on the way out): it gets a serial like any call, and
   * its reply, if one comes, is dropped.
   */
  notify(prog: number, vers: number, proc: number, args: ArgsWriter): void {
    if (this.#isClosed) return;
    const serial = this.#serial;
    this.#serial = (this.#serial + 1) >>> 0 || 1;
    this.#timedOut.add(serial);
    this.#write(this.#encode({ prog, vers, proc, type: MessageType.CALL, serial, status: MessageStatus.OK }, args));
  }

  /** Sends a message that expects no reply (keepalive), if the connection is still open. */
  send(header: Omit<MessageHeader, 'serial' | 'status'>, args?: ArgsWriter): void {
    if (this.#isClosed) return;
    this.#write(this.#encode({ ...header, serial: 0, status: MessageStatus.OK }, args));
  }

  /** Starts PINGing the server when it has been quiet for `intervalMs`; see the class comment. */
  startKeepalive(options: KeepaliveOptions): void {
    if (this.#isClosed || this.#keepalive) return;
    const ka: KeepaliveState = {
      options,
      // Every interval while keepalive lasts (it ends with the connection, or when the server says it has none).
      timer: new DeadlineTimer((now) => {
        this.#keepaliveTick();
        return this.#keepalive === ka ? now + options.intervalMs : Infinity;
      }),
      unanswered: 0,
      supported: options.probe ? undefined : true,
      probing: false,
    };
    this.#keepalive = ka;
    ka.timer.arm(performance.now() + options.intervalMs);
  }

  /**
   * Closes the connection; pending calls reject with INTERNAL_ERROR at once. What was already written is still
   * delivered (the stream is ended, not dropped). With `peerCloses` — the last message asked the peer to close the
   * connection, as CONNECT_CLOSE does — the stream is left for the peer to close after it answers, as libvirt's
   * client leaves it (it closes its socket only once the answer is in): a daemon that read our end of the stream
   * first would log an error for it ("End of file while reading data"). Either way nothing here waits: the
   * promise resolves at once, and a peer that has not closed its side within {@link CLOSE_LINGER_MS} is cut off.
   */
  async close(options: { peerCloses?: boolean } = {}): Promise<void> {
    if (this.#isClosed) return;
    this.#shutdown(socketClosedError);
    this.#flush();
    const stream = this.#stream;
    if (options.peerCloses && !stream.readableEnded) {
      stream.once('end', () => {
        if (!stream.writableEnded) stream.end();
      });
    } else {
      stream.end();
    }
    const linger = new DeadlineTimer(() => {
      stream.destroy();
      return Infinity;
    });
    linger.arm(performance.now() + CLOSE_LINGER_MS);
    stream.once('close', () => linger.stop());
  }

  #keepaliveTick(): void {
    const ka = this.#keepalive;
    if (!ka) return;
    if (ka.unanswered >= ka.options.count) {
      this.#shutdown(() => new VirError(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, 'connection closed due to keepalive timeout'));
      this.#stream.destroy();
      return;
    }
    ka.unanswered++;
    if (ka.supported) {
      this.stats.pingsSent++;
      this.send({ prog: KEEPALIVE_PROGRAM, vers: KEEPALIVE_PROTOCOL_VERSION, proc: KEEPALIVE_PROC_PING, type: MessageType.MESSAGE });
      return;
    }
    // Not known yet: the probe stands in for the PING (its answer, like any traffic, resets the count).
    if (ka.probing || !ka.options.probe) return;
    ka.probing = true;
    ka.options.probe().then(
      (yes) => {
        ka.probing = false;
        if (yes) ka.supported = true;
        else if (this.#keepalive === ka) {
          ka.timer.stop();
          this.#keepalive = undefined;
        }
      },
      // Closed, timed out or refused: the count of quiet intervals goes on, and the next quiet one asks again.
      () => {
        ka.probing = false;
      },
    );
  }

  #encode(header: MessageHeader, args: ArgsWriter): Buffer {
    const w = new XdrWriter(128);
    w.uint(0);
    writeHeader(w, header);
    args?.(w);
    const len = w.length;
    if (len - LENGTH_WORD > this.#maxMessage) {
      throw new VirError(ErrorCode.RPC, ErrorDomain.RPC, `message length ${len - LENGTH_WORD} exceeds maximum ${this.#maxMessage}`);
    }
    w.patchUint(0, len);
    return w.finish();
  }

  #onData(chunk: Buffer): void {
    if (this.#isClosed) return;
    // Anything from the server shows it is alive.
    if (this.#keepalive) this.#keepalive.unanswered = 0;
    for (const m of this.#frames.push(chunk)) {
      if (this.#isClosed) return;
      try {
        this.#dispatch(m);
      } catch (e) {
        this.#fail(e instanceof VirError ? e : protocolError(`malformed message: ${(e as Error).message}`, e));
        return;
      }
    }
    const broken = this.#frames.failure;
    if (broken && !this.#isClosed) this.#fail(protocolError(broken.message, broken));
  }

  #dispatch(message: Buffer): void {
    const body = new XdrReader(message);
    if (message.length < HEADER_SIZE) throw new XdrError('message shorter than its header');
    const header = readHeader(body);
    if (header.prog === KEEPALIVE_PROGRAM) {
      if (header.proc === KEEPALIVE_PROC_PING) {
        this.stats.pingsReceived++;
        this.send({ prog: KEEPALIVE_PROGRAM, vers: KEEPALIVE_PROTOCOL_VERSION, proc: KEEPALIVE_PROC_PONG, type: MessageType.MESSAGE });
      } else if (header.proc === KEEPALIVE_PROC_PONG) {
        this.stats.pongsReceived++;
      }
      return;
    }
    switch (header.type) {
      case MessageType.REPLY:
        this.#onReply(header, body);
        return;
      case MessageType.MESSAGE:
        this.emit('message', { header, body });
        return;
      default:
        throw protocolError(`unexpected message type ${header.type} from server`);
    }
  }

  #onReply(header: MessageHeader, body: XdrReader): void {
    const p = this.#pending.get(header.serial);
    if (!p) {
      // A late answer to a call that timed out is harmless; any other serial means the peer is not libvirt.
      if (this.#timedOut.has(header.serial)) {
        this.#timedOut.delete(header.serial);
        return;
      }
      throw protocolError(`no call waiting for reply with prog ${header.prog} vers ${header.vers} serial ${header.serial}`);
    }
    if (header.proc !== p.proc) {
      throw protocolError(`reply to serial ${header.serial} names procedure ${header.proc}, call was ${p.proc}`);
    }
    this.#pending.delete(header.serial);
    if (header.status === MessageStatus.ERROR) {
      let err: VirError;
      try {
        const e = readWireError(body);
        err = serverError(e.code, e.domain, e.message);
      } catch (e) {
        err = protocolError(`Unable to decode message payload: ${(e as Error).message}`, e);
      }
      p.reject(err);
      return;
    }
    if (header.status !== MessageStatus.OK) {
      p.reject(protocolError(`unexpected reply status ${header.status}`));
      return;
    }
    let value: unknown;
    try {
      value = p.read ? p.read(body) : undefined;
      body.end();
    } catch (e) {
      p.reject(protocolError(`Unable to decode message payload: ${(e as Error).message}`, e));
      return;
    }
    p.resolve(value);
  }

  #fail(err: VirError): void {
    this.#shutdown(() => err);
    this.#stream.destroy();
  }

  /** Closes the client for good; the error is made only when there is none yet (an Error's stack is not free). */
  #shutdown(reason: () => VirError): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#keepalive?.timer.stop();
    this.#keepalive = undefined;
    this.#deadlines.stop();
    if (this.#pending.size > 0 || this.listenerCount('close') > 0) {
      const err = reason();
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
      this.emit('close', err);
    }
    this.removeAllListeners('message');
  }
}
