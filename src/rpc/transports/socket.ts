import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { DeadlineTimer } from '../deadline-timer.js';
import { connectError, connectTimeoutError } from '../socket-errors.js';

/**
 * Connects a unix or TCP socket, failing with libvirt's SYSTEM_ERROR when the peer refuses and with
 * OPERATION_TIMEOUT when it does not accept before `timeoutMs` (a host that drops packets would otherwise hold a
 * connect for minutes). The socket comes back with Nagle off: RPC calls are small and latency-bound.
 */
export function connectSocket(options: NetConnectOpts, describe: { failure: string; target: string }, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(options);
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
      resolve(s);
    });
    const onError = (e: Error): void => {
      timer.stop();
      reject(connectError(describe.failure, e));
    };
    s.once('error', onError);
  });
}

/** libvirt's unix socket transport: `DRIVER+unix:///PATH?socket=...`. */
export function connectUnix(path: string, timeoutMs: number): Promise<Socket> {
  return connectSocket({ path }, { failure: `Failed to connect socket to '${path}'`, target: `'${path}'` }, timeoutMs);
}

/** libvirt's TCP transport (no TLS, `auth_tcp = "none"` or SASL on the server side): `DRIVER+tcp://HOST:PORT/PATH`. */
export function connectTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  const target = `'${host}:${port}'`;
  return connectSocket({ host, port }, { failure: `unable to connect to server at ${target}`, target }, timeoutMs);
}
