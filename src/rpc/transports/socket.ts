import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { DeadlineTimer } from '../deadline-timer.js';
import { connectError, connectTimeoutError } from '../socket-errors.js';

/** A connected socket, and how its received bytes reach their one reader. */
export interface SocketTransport {
  socket: Socket;
  /**
   * Names the reader of every chunk received, each a copy of its own; chunks that came before it are handed to it
   * at once. Read with net's `onread` instead of 'data' events: the stream machinery per read (push, its buffer
   * list, the event) was ~3 µs of the ~14 µs of client CPU a round trip costs, and an RPC client reads once per
   * reply.
   */
  read(reader: (chunk: Buffer) => void): void;
}

/** The buffer every socket reads into; each read is copied out before the next can happen (one thread reads). */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * Connects a unix or TCP socket, failing with libvirt's SYSTEM_ERROR when the peer refuses and with
 * OPERATION_TIMEOUT when it does not accept before `timeoutMs` (a host that drops packets would otherwise hold a
 * connect for minutes). The socket comes back with Nagle off: RPC calls are small and latency-bound.
 */
export function connectSocket(options: NetConnectOpts, describe: { failure: string; target: string }, timeoutMs: number): Promise<SocketTransport> {
  return new Promise((resolve, reject) => {
    let reader: ((chunk: Buffer) => void) | undefined;
    let early: Buffer[] = [];
    const onread = {
      buffer: READ_BUFFER,
      callback: (n: number, buf: Uint8Array): boolean => {
        const chunk = Buffer.allocUnsafe(n);
        chunk.set(buf.subarray(0, n));
        if (reader) reader(chunk);
        else early.push(chunk);
        return true;
      },
    };
    const s = connect({ ...options, onread });
    const timer = new DeadlineTimer(() => {
      s.destroy();
      reject(connectTimeoutError(describe.target, timeoutMs));
      return Infinity;
    });
    timer.arm(performance.now() + timeoutMs);
    s.once('connect', () => {
      timer.stop();
      s.off('error', onError);
      if ('setNoDelay' in s) s.setNoDelay(true);
      resolve({
        socket: s,
        read(r) {
          reader = r;
          const before = early;
          early = [];
          for (const chunk of before) r(chunk);
        },
      });
    });
    const onError = (e: Error): void => {
      timer.stop();
      reject(connectError(describe.failure, e));
    };
    s.once('error', onError);
  });
}

/** libvirt's unix socket transport: `DRIVER+unix:///PATH?socket=...`. */
export function connectUnix(path: string, timeoutMs: number): Promise<SocketTransport> {
  return connectSocket({ path }, { failure: `Failed to connect socket to '${path}'`, target: `'${path}'` }, timeoutMs);
}

/** libvirt's TCP transport (no TLS, `auth_tcp = "none"` or SASL on the server side): `DRIVER+tcp://HOST:PORT/PATH`. */
export function connectTcp(host: string, port: number, timeoutMs: number): Promise<SocketTransport> {
  const target = `'${host}:${port}'`;
  return connectSocket({ host, port }, { failure: `unable to connect to server at ${target}`, target }, timeoutMs);
}
