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

  it('asks the probe before its first PING, and PINGs once the server says it speaks keepalive', async () => {
    const pings: Received[] = [];
    const { client } = await pair((m, sock) => {
      if (m.header.prog === KEEPALIVE_PROGRAM && m.header.proc === KEEPALIVE_PROC_PING) {
        pings.push(m);
        sock.write(frame({ ...m.header, proc: KEEPALIVE_PROC_PONG }));
      }
    });
    let asked = 0;
    client.startKeepalive({ intervalMs: 10, count: 3, probe: async () => (asked++, true) });
    await eventually(() => (client.stats.pongsReceived >= 3 ? true : undefined), 10_000, 'three PONGs');
    expect(asked).toBe(1);
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(client.closed).toBe(false);
  });

  it('never PINGs a server whose probe says no, and keeps the connection', async () => {
    const seen: Received[] = [];
    const { client } = await pair((m) => seen.push(m));
    let asked = 0;
    client.startKeepalive({ intervalMs: 10, count: 2, probe: async () => (asked++, false) });
    await eventually(() => (asked === 1 ? true : undefined), 5000, 'the probe');
    // Well past count × interval: a client still PINGing (or counting) would have closed by now.
    const answered = client.call(REMOTE_PROGRAM, 1, 3, undefined, undefined, { timeoutMs: 300 });
    const e = await rejection(answered);
    expect(e.code).toBe(ErrorCode.OPERATION_TIMEOUT);
    expect(client.closed).toBe(false);
    expect(asked).toBe(1);
    expect(client.stats.pingsSent).toBe(0);
    expect(seen.some((m) => m.header.prog === KEEPALIVE_PROGRAM)).toBe(false);
  });

  it('closes with the keepalive error when the server goes quiet while the probe is unanswered', async () => {
    const { client } = await pair(() => {});
    const pending = client.call(REMOTE_PROGRAM, 1, 3, undefined, undefined, { timeoutMs: 60_000 });
    const probe = new Promise<boolean>(() => {}); // a frozen server answers nothing
    const t0 = Date.now();
    client.startKeepalive({ intervalMs: 20, count: 3, probe: () => probe });
    const e = await rejection(pending);
    expect(e.message).toBe('internal error: connection closed due to keepalive timeout');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(client.stats.pingsSent).toBe(0);
  });

  it('fails each call at its own deadline with one timer, whatever order the deadlines come in', async () => {
    const held: Received[] = [];
    const { client } = await pair((m) => held.push(m));
    const t0 = Date.now();
    const long = client.call(REMOTE_PROGRAM, 1, 10, undefined, (r) => r.int(), { timeoutMs: 10_000 });
    const late = rejection(client.call(REMOTE_PROGRAM, 1, 11, undefined, undefined, { timeoutMs: 150 }));
    const early = rejection(client.call(REMOTE_PROGRAM, 1, 12, undefined, undefined, { timeoutMs: 40 }));
    const none = client.call(REMOTE_PROGRAM, 1, 13, undefined, (r) => r.int(), { timeoutMs: 0 });
    const e1 = await early;
    const tEarly = Date.now() - t0;
    const e2 = await late;
    const tLate = Date.now() - t0;
    expect(e1.message).toBe('Timed out during operation: no reply to procedure 12 within 40 ms');
    expect(e2.message).toBe('Timed out during operation: no reply to procedure 11 within 150 ms');
    expect(tEarly).toBeGreaterThanOrEqual(39);
    expect(tLate).toBeGreaterThanOrEqual(149);
    expect(tLate).toBeGreaterThan(tEarly);
    // The calls with a later deadline, or none, are still waiting and get their replies.
    await eventually(() => (held.length === 4 ? true : undefined), 5000, 'the four calls');
    const sock = (servers[0] as FakeServer).sockets[0]!;
    sock.write(frame(replyTo(held[3]!.header), (w) => w.int(13)));
    sock.write(frame(replyTo(held[0]!.header), (w) => w.int(10)));
    expect(await long).toBe(10);
    expect(await none).toBe(13);
    expect(client.pendingCount).toBe(0);
  });

  it('sends the calls made in one tick in one write, each frame whole and in order, and matches every reply', async () => {
    const N = 300;
    const got: Received[] = [];
    const { client } = await pair((m, sock) => {
      got.push(m);
      // Once all are in, answer in reverse order, each with the length of the string its call carried.
      if (got.length === N) for (const c of [...got].reverse()) sock.write(frame(replyTo(c.header), (w) => w.int(c.body.string(4096).length)));
    });
    const sock = connect((servers[0] as FakeServer).path);
    await new Promise((r) => sock.once('connect', r));
    let writes = 0;
    const write = sock.write.bind(sock);
    sock.write = ((...a: Parameters<typeof sock.write>) => (writes++, write(...a))) as typeof sock.write;
    const batched = new RpcClient(sock);
    clients.push(batched);
    // Lengths that leave every frame a different size, some not a multiple of 4 before padding.
    const calls = Array.from({ length: N }, (_, i) => batched.call(REMOTE_PROGRAM, 1, 23, (w) => w.string('d'.repeat(i % 97), 4096), (r) => r.int()));
    expect(writes).toBe(0); // queued, not yet written: the write goes out once this tick's calls are all in
    expect(await Promise.all(calls)).toEqual(Array.from({ length: N }, (_, i) => i % 97));
    expect(writes).toBe(1);
    const mine = got.slice(-N);
    expect(mine.map((m) => m.header.serial)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
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
