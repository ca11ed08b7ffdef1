/** The RPC client against scripted peers (test/rpc/fake-server.ts): serials, errors, keepalive, limits. */
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { ErrorCode, ErrorDomain } from '../../src/errors.js';
import { RpcClient } from '../../src/rpc/client.js';
import {
  KEEPALIVE_PROC_PING,
  KEEPALIVE_PROC_PONG,
  KEEPALIVE_PROGRAM,
  KEEPALIVE_PROTOCOL_VERSION,
  MessageStatus,
  MessageType,
  REMOTE_PROGRAM,
} from '../../src/rpc/protocol.js';
import { rejection } from '../helpers/vir-error.js';
import { eventually } from '../helpers/eventually.js';
import { errorReply, FakeServer, frame, replyTo, type Received } from './fake-server.js';

const servers: FakeServer[] = [];
const clients: RpcClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) await s.stop();
});

async function pair(onMessage: (m: Received, sock: import('node:net').Socket) => void, options = {}) {
  const server = await FakeServer.start(onMessage);
  servers.push(server);
  const sock = connect(server.path);
  await new Promise((r) => sock.once('connect', r));
  const client = new RpcClient(sock, options);
  clients.push(client);
  return { server, client };
}

const echoInt = (r: import('../../src/rpc/xdr.js').XdrReader): number => r.int();

describe('RpcClient', () => {
  it('matches replies to calls by serial, whatever order they come back in', async () => {
    const held: Received[] = [];
    const { client } = await pair((m, sock) => {
      held.push(m);
      if (held.length < 32) return;
      // Answer all 32 in reverse order, each with the number its call carried, times ten.
      for (const h of held.reverse()) sock.write(frame(replyTo(h.header), (w) => w.int(h.body.int() * 10)));
    });
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) => client.call(REMOTE_PROGRAM, 1, 100 + i, (w) => w.int(i), echoInt)),
    );
    expect(results).toEqual(Array.from({ length: 32 }, (_, i) => i * 10));
    expect(new Set(held.map((h) => h.header.serial)).size).toBe(32);
  });

  it("rejects with the server's error code, domain and message", async () => {
    const { client } = await pair((m, sock) => sock.write(errorReply(m.header, { code: 42, domain: 12, message: 'Domain not found: x', level: 2 })));
    const e = await rejection(client.call(REMOTE_PROGRAM, 1, 23, undefined, undefined));
    expect(e.toJSON()).toEqual({ code: 42, domain: 12, level: 2, message: 'Domain not found: x' });
  });

  it('answers a PING from the server with a PONG', async () => {
    const seen: Received[] = [];
    const { server, client } = await pair((m) => seen.push(m));
    await eventually(() => (server.sockets.length === 1 ? true : undefined), 5000, 'the connection');
    server.sockets[0]!.write(frame({ prog: KEEPALIVE_PROGRAM, vers: KEEPALIVE_PROTOCOL_VERSION, proc: KEEPALIVE_PROC_PING, type: MessageType.MESSAGE, serial: 0, status: 0 }));
    const pong = await eventually(() => seen.find((m) => m.header.prog === KEEPALIVE_PROGRAM), 5000, 'a PONG');
    expect(pong.header).toMatchObject({ proc: KEEPALIVE_PROC_PONG, type: MessageType.MESSAGE });
    expect(client.stats.pingsReceived).toBe(1);
  });

  it('PINGs a quiet server, and closes after the unanswered ones with a keepalive error', async () => {
    const pings: Received[] = [];
    const { client } = await pair((m) => {
      if (m.header.prog === KEEPALIVE_PROGRAM) pings.push(m);
    });
    const pending = client.call(REMOTE_PROGRAM, 1, 3, undefined, undefined, { timeoutMs: 60_000 });
    client.startKeepalive({ intervalMs: 20, count: 3 });
    const e = await rejection(pending);
    expect(e.code).toBe(ErrorCode.INTERNAL_ERROR);
    expect(e.message).toBe('internal error: connection closed due to keepalive timeout');
    expect(pings.length).toBe(3);
    expect(pings.every((p) => p.header.proc === KEEPALIVE_PROC_PING)).toBe(true);
  });

  it('keeps a connection whose server answers the PINGs', async () => {
    const { client } = await pair((m, sock) => {
      if (m.header.prog === KEEPALIVE_PROGRAM && m.header.proc === KEEPALIVE_PROC_PING) {
        sock.write(frame({ ...m.header, proc: KEEPALIVE_PROC_PONG }));
      }
    });
    client.startKeepalive({ intervalMs: 10, count: 2 });
    await eventually(() => (client.stats.pongsReceived >= 5 ? true : undefined), 10_000, 'five PONGs');
    expect(client.closed).toBe(false);
  });

  it('refuses to send a message over the size limit, and the connection stays usable', async () => {
    const { client } = await pair((m, sock) => sock.write(frame(replyTo(m.header))));
    const big = 'x'.repeat(2000);
    const c2 = client;
    const small = new RpcClient(connect((servers[0] as FakeServer).path), { maxMessage: 1024 });
    clients.push(small);
    const e = await rejection(small.call(REMOTE_PROGRAM, 1, 11, (w) => w.string(big, 4096), undefined));
    expect(e.code).toBe(ErrorCode.RPC);
    expect(e.message).toMatch(/^message length \d+ exceeds maximum 1024$/);
    await small.call(REMOTE_PROGRAM, 1, 2, undefined, undefined);
    await c2.call(REMOTE_PROGRAM, 1, 2, undefined, undefined);
  });

  it('times a call out with OPERATION_TIMEOUT and drops its late reply without harm', async () => {
    const held: Received[] = [];
    const { server, client } = await pair((m) => held.push(m));
    const e = await rejection(client.call(REMOTE_PROGRAM, 1, 3, undefined, undefined, { timeoutMs: 30 }));
    expect(e.code).toBe(ErrorCode.OPERATION_TIMEOUT);
    expect(e.domain).toBe(ErrorDomain.RPC);
    server.sockets[0]!.write(frame(replyTo(held[0]!.header)));
    const next = client.call(REMOTE_PROGRAM, 1, 4, undefined, (r) => r.int());
    await eventually(() => (held.length === 2 ? true : undefined), 5000, 'the second call');
    server.sockets[0]!.write(frame(replyTo(held[1]!.header), (w) => w.int(7)));
    expect(await next).toBe(7);
    expect(client.closed).toBe(false);
  });

  it('rejects every pending call at once when the server goes away', async () => {
    const { server, client } = await pair(() => {});
    const calls = [1, 2, 3].map((p) => rejection(client.call(REMOTE_PROGRAM, 1, p, undefined, undefined, { timeoutMs: 60_000 })));
    await eventually(() => (server.sockets.length ? true : undefined), 5000, 'the connection');
    server.sockets[0]!.end();
    for (const e of await Promise.all(calls)) {
      expect(e.code).toBe(ErrorCode.SYSTEM_ERROR);
      expect(e.message).toBe('End of file while reading data: Input/output error');
    }
    const after = await rejection(client.call(REMOTE_PROGRAM, 1, 9, undefined, undefined));
    expect(after.message).toBe('internal error: client socket is closed');
  });

  it('delivers server MESSAGEs (events) to listeners', async () => {
    const { server, client } = await pair(() => {});
    const got = new Promise<number>((resolve) => client.on('message', (m) => resolve(m.body.int())));
    await eventually(() => (server.sockets.length ? true : undefined), 5000, 'the connection');
    server.sockets[0]!.write(frame({ prog: REMOTE_PROGRAM, vers: 1, proc: 318, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK }, (w) => w.int(77)));
    expect(await got).toBe(77);
  });
});
