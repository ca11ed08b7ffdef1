/**
 * CIM-XML over HTTP (DSP0200) on node:http: POST only (M-POST is answered 501, so clients fall back to POST), a bounded body, CIM headers checked, and every
 * failure answered — a malformed request is an HTTP error, a failed operation a CIM error, never a crash.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Connection } from '../connection/connection.js';
import { dispatchCimRequest, protocolReply, type CimHeaders, type CimReply } from './dispatch.js';
import { CimProvider } from './provider.js';
import { CimProtocolError } from './status.js';
import { readServerOptions } from './server-options.js';

/** Where and how the server listens. */
export interface CimServerOptions {
  /** Address to listen on; 127.0.0.1 unless given. */
  readonly host?: string;
  /** TCP port; 5988 (DSP0200's CIM-XML over HTTP) unless given, 0 for any free port. */
  readonly port?: number;
  /** Allow ModifyInstance; the server is read-only without it. */
  readonly readWrite?: boolean;
  /** The largest request body accepted, in bytes (default 1 MiB); a larger one is answered 413 unread. */
  readonly maxBodyBytes?: number;
  /** Called after each request with a one-line summary (the CLI prints it). */
  readonly log?: (line: string) => void;
}

/** A running server. */
export interface CimServer {
  /** The address it listens on (the real port when 0 was asked). */
  readonly address: AddressInfo;
  /** `http://HOST:PORT`. */
  readonly url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

export const DEFAULT_CIM_PORT = 5988;
export const DEFAULT_MAX_BODY_BYTES = 1 << 20;

/** The CIM headers of a request. */
function cimHeaders(req: IncomingMessage): CimHeaders {
  const get = (name: string): string | undefined => {
    const v = req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(',') : v;
  };
  return {
    cimOperation: get('CIMOperation'),
    cimMethod: get('CIMMethod'),
    cimObject: get('CIMObject'),
    cimProtocolVersion: get('CIMProtocolVersion'),
  };
}

function send(res: ServerResponse, reply: CimReply, close = false): void {
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length), ...(close ? { Connection: 'close' } : {}) });
  res.end(body);
}

/** Reads the body, up to `max` bytes; undefined when it is larger (the caller answers 413). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > max) {
        req.off('data', onData);
        resolve(undefined);
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function handle(provider: CimProvider, req: IncomingMessage, res: ServerResponse, max: number, log: (l: string) => void): Promise<void> {
  if (req.method !== 'POST') {
    req.resume();
    send(res, { status: 405, headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' }, body: 'CIM-XML requests are POSTed\n' });
    log(`${req.method} -> 405`);
    return;
  }
  const body = await readBody(req, max);
  if (body === undefined) {
    send(res, protocolReply(new CimProtocolError(413, 'request-not-valid', `the request body is larger than ${max} bytes`)), true);
    req.socket.destroySoon?.();
    log(`body over ${max} bytes -> 413`);
    return;
  }
  const headers = cimHeaders(req);
  const reply = await dispatchCimRequest(provider, body, headers);
  send(res, reply);
  log(`${headers.cimMethod ?? '?'} -> ${reply.status}${reply.cimStatus ? ` CIM status ${reply.cimStatus}` : ''}`);
}

/**
 * Serves the memory RASDs of `conn`'s domains in root/virt until closed. The connection stays the caller's:
 * closing the server does not close it.
 */
export async function startCimServer(conn: Connection, options: CimServerOptions = {}): Promise<CimServer> {
  const { host: listenHost, port, readWrite, maxBodyBytes: max, log } = readServerOptions(options, { port: DEFAULT_CIM_PORT, maxBodyBytes: DEFAULT_MAX_BODY_BYTES });
  const provider = new CimProvider(conn, { readWrite });
  const sockets = new Set<Socket>();
  const server: Server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000 }, (req, res) => {
    handle(provider, req, res, max, log).catch((e: unknown) => {
      // Only a broken socket gets here (dispatch itself never throws): answer if still possible.
      if (!res.headersSent) send(res, { status: 500, headers: { 'Content-Type': 'text/plain' }, body: `${String(e)}\n` }, true);
      else res.destroy();
    });
  });
  // A bound on open sockets, so a client that opens many and sends nothing cannot exhaust the process.
  server.maxConnections = 256;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Bad HTTP (garbage, a header too large): a plain 400, and the socket closed; the server goes on. node's parser
  // knows no M-POST, so that method lands here too: 501 is DSP0200's answer of a server without M-POST, and tells
  // the client to send a plain POST instead.
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (socket.writable && err.code !== 'ECONNRESET') {
      const mpost = err.code === 'HPE_INVALID_METHOD' && err.rawPacket?.toString('latin1').startsWith('M-POST ') === true;
      const status = mpost ? '501 Not Implemented' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
    log(`bad HTTP (${err.code ?? err.message}) -> 400`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    address,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
