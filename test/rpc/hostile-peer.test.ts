/**
 * Opening a remote connection against peers that are not a healthy libvirtd: each attempt must end in a VirError
 * within its deadline — never a hang, a crash or an uncaught exception.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../src/index.js';
import { ErrorCode, type VirError } from '../../src/errors.js';
import { MessageStatus, MessageType } from '../../src/rpc/protocol.js';
import { rejection } from '../helpers/vir-error.js';
import { FakeServer, frame, handshakeReplies, replyTo, type Received } from './fake-server.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

const DEADLINE_MS = 400;

/** Opens `test+unix:///default` against a scripted peer; returns the error and how long it took. */
async function openAgainst(onMessage: (m: Received, sock: Socket) => void): Promise<{ error: VirError; ms: number }> {
  const server = await FakeServer.start(onMessage);
  servers.push(server);
  const t0 = Date.now();
  const error = await rejection(openConnection(`test+unix:///default?socket=${server.path}&connect_timeout=${DEADLINE_MS}&keepalive_interval=0`));
  return { error, ms: Date.now() - t0 };
}

const length = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

describe('a hostile peer', () => {
  it('that never answers: OPERATION_TIMEOUT at the connect deadline', async () => {
    const { error, ms } = await openAgainst(() => {});
    expect(error.code).toBe(ErrorCode.OPERATION_TIMEOUT);
    expect(ms).toBeLessThan(DEADLINE_MS + 1000);
  });

  it('that sends a truncated frame and closes: end of file', async () => {
    const { error } = await openAgainst((m, sock) => {
      const whole = frame(replyTo(m.header), (w) => w.int(0));
      sock.end(whole.subarray(0, whole.length - 3));
    });
    expect(error.code).toBe(ErrorCode.SYSTEM_ERROR);
    expect(error.message).toBe('End of file while reading data: Input/output error');
  });

  it('that announces an oversized message: RPC error, nothing allocated', async () => {
    const { error } = await openAgainst((_m, sock) => sock.write(length(0xffff_fff0)));
    expect(error.code).toBe(ErrorCode.RPC);
    expect(error.message).toBe('packet 4294967280 bytes received from server too large, want 33554436');
  });

  it('that announces a message shorter than a header: RPC error', async () => {
    const { error } = await openAgainst((_m, sock) => sock.write(length(8)));
    expect(error.code).toBe(ErrorCode.RPC);
    expect(error.message).toMatch(/too small/);
  });

  it('that answers with a serial nobody called: RPC error', async () => {
    const { error } = await openAgainst((m, sock) => sock.write(frame({ ...replyTo(m.header), serial: m.header.serial + 1000 })));
    expect(error.code).toBe(ErrorCode.RPC);
    expect(error.message).toMatch(/^no call waiting for reply with prog \d+ vers 1 serial \d+$/);
  });

  it('that answers with a payload that does not decode: RPC error', async () => {
    // AUTH_LIST's reply is an array of at most 20 auth types; this one claims a million.
    const { error } = await openAgainst((m, sock) => sock.write(frame(replyTo(m.header), (w) => w.uint(1_000_000))));
    expect(error.code).toBe(ErrorCode.RPC);
    expect(error.message).toMatch(/^Unable to decode message payload: array of 1000000 items exceeds its limit of 20$/);
  });

  it('that answers with an unknown message type: RPC error', async () => {
    const { error } = await openAgainst((m, sock) => sock.write(frame({ ...m.header, type: 9 as MessageType, status: MessageStatus.OK })));
    expect(error.code).toBe(ErrorCode.RPC);
  });

  /** Opens against a peer that completes the handshake, then treats the lookups as `lookup` says. */
  async function openedAgainst(lookup: (m: Received, sock: Socket, nth: number) => void, callTimeoutMs: number): Promise<Connection> {
    let nth = 0;
    const server = await FakeServer.start(handshakeReplies((m, sock) => lookup(m, sock, nth++)));
    servers.push(server);
    return openConnection(`test+unix:///default?socket=${server.path}&call_timeout=${callTimeoutMs}&keepalive_interval=0`);
  }
  const domainReply = (m: Received): Buffer =>
    frame(replyTo(m.header), (w) => w.string('test', 64).fixedOpaque(Buffer.alloc(16, 1), 16).int(1));
  const IN_FLIGHT = 64;

  it(`that answers some of ${IN_FLIGHT} calls in flight, then an impossible length: the answered ones resolve, every call still waiting fails at once`, async () => {
    const conn = await openedAgainst((m, sock, nth) => sock.write(nth < 20 ? domainReply(m) : Buffer.concat([length(0xffff_fff0), randomBytes(60)])), 60_000);
    const t0 = Date.now();
    const results = await Promise.allSettled(Array.from({ length: IN_FLIGHT }, () => conn.lookupDomainByName('test')));
    expect(Date.now() - t0).toBeLessThan(5000); // far below the 60 s call deadline
    const failed = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as VirError);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(20);
    expect(failed.length).toBe(IN_FLIGHT - 20);
    for (const e of failed) expect(e.message).toBe('packet 4294967280 bytes received from server too large, want 33554436');
  });

  it(`that stops answering with ${IN_FLIGHT} calls in flight: each fails with OPERATION_TIMEOUT at its deadline`, async () => {
    const CALL_MS = 300;
    const conn = await openedAgainst((m, sock, nth) => (nth < 10 ? sock.write(domainReply(m)) : undefined), CALL_MS);
    const t0 = Date.now();
    const results = await Promise.allSettled(Array.from({ length: IN_FLIGHT }, () => conn.lookupDomainByName('test')));
    const ms = Date.now() - t0;
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(10);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect(((r as PromiseRejectedResult).reason as VirError).code).toBe(ErrorCode.OPERATION_TIMEOUT);
    }
    expect(ms).toBeGreaterThanOrEqual(CALL_MS - 1);
    expect(ms).toBeLessThan(CALL_MS + 2000);
    await conn.close();
  });

  it('that sends garbage: a VirError within the deadline, every time', async () => {
    for (let i = 0; i < 25; i++) {
      const junk = randomBytes(1 + (i * 37) % 200);
      const { error, ms } = await openAgainst((_m, sock) => sock.write(junk));
      expect(error.code, junk.toString('hex')).toBeOneOf([ErrorCode.RPC, ErrorCode.OPERATION_TIMEOUT, ErrorCode.SYSTEM_ERROR]);
      expect(ms).toBeLessThan(DEADLINE_MS + 1000);
    }
  });
});
