import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameDecoder } from '../../src/rpc/framing.js';
import { MessageStatus, MessageType, readHeader, writeHeader, writeWireError, type MessageHeader, type WireError } from '../../src/rpc/protocol.js';
import { XdrReader, XdrWriter } from '../../src/rpc/xdr.js';

/** One message a peer received, decoded as far as the header. */
export interface Received {
  header: MessageHeader;
  body: XdrReader;
}

/** Frames a message: length word, header, payload. */
export function frame(header: MessageHeader, payload?: (w: XdrWriter) => void): Buffer {
  const w = new XdrWriter();
  w.uint(0);
  writeHeader(w, header);
  payload?.(w);
  w.patchUint(0, w.length);
  return Buffer.from(w.finish());
}

export const replyTo = (h: MessageHeader, status = MessageStatus.OK): MessageHeader => ({ ...h, type: MessageType.REPLY, status });

export function errorReply(h: MessageHeader, e: WireError): Buffer {
  return frame(replyTo(h, MessageStatus.ERROR), (w) => writeWireError(w, e));
}

export interface FakeServerOptions {
  /** Keep the peer's side open when the client ends its own (a daemon slow to close); Node ends it by default. */
  allowHalfOpen?: boolean;
}

/**
 * A scripted peer on a private unix socket, standing in for a daemon that misbehaves: `onMessage` sees each
 * message a client sends and writes whatever it likes back (or nothing).
 */
export class FakeServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'virtune-fake-rpc-'));
  readonly path = join(this.dir, 'sock');
  readonly sockets: Socket[] = [];
  readonly #server: Server;

  private constructor(onMessage: (m: Received, sock: Socket) => void, options: FakeServerOptions) {
    this.#server = createServer({ allowHalfOpen: options.allowHalfOpen ?? false }, (sock) => {
      this.sockets.push(sock);
      sock.on('error', () => {});
      const frames = new FrameDecoder();
      sock.on('data', (chunk) => {
        for (const m of frames.push(chunk)) {
          const body = new XdrReader(m);
          onMessage({ header: readHeader(body), body }, sock);
        }
        if (frames.failure) sock.destroy();
      });
    });
  }

  static async start(onMessage: (m: Received, sock: Socket) => void = () => {}, options: FakeServerOptions = {}): Promise<FakeServer> {
    const s = new FakeServer(onMessage, options);
    await new Promise<void>((r) => s.#server.listen(s.path, r));
    return s;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.#server.close(() => r()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Answers the calls a remote connection makes while opening and subscribing (auth list: none; keepalive: not
 * supported; open; type `TEST`; event registration: callback ids from 1), and anything else with `other`.
 */
export function handshakeReplies(other: (m: Received, sock: Socket) => void = () => {}): (m: Received, sock: Socket) => void {
  let callback = 0;
  return (m, sock) => {
    if (m.header.type !== MessageType.CALL) return;
    const reply = (payload?: (w: XdrWriter) => void): boolean => sock.write(frame(replyTo(m.header), payload));
    switch (m.header.proc) {
      case 66:
        reply((w) => w.uint(1).int(0));
        return;
      case 60:
        reply((w) => w.int(0));
        return;
      case 1:
      case 2:
      case 317:
        reply();
        return;
      case 3:
        reply((w) => w.string('TEST', 16));
        return;
      case 316:
        reply((w) => w.int(++callback));
        return;
      default:
        other(m, sock);
    }
  };
}
