/**
 * What an open, a call and a close cost on the wire: the calls virtune sends, in order, against a scripted peer.
 * libvirt's client (without an event loop, as the Python binding runs it) sends AUTH_LIST, CONNECT_OPEN, two
 * SUPPORTS_FEATURE queries, then the call, then CONNECT_CLOSE, each waiting for its answer; virtune sends
 * AUTH_LIST and CONNECT_OPEN together (and CONNECT_GET_TYPE with them when the scheme does not say the driver's
 * type), the call, and CONNECT_CLOSE without waiting. Whether the daemon speaks keepalive is asked only by a
 * connection that stays quiet for a keepalive interval.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/index.js';
import { CLOSE_LINGER_MS } from '../../../src/rpc/client.js';
import { KEEPALIVE_PROC_PING, KEEPALIVE_PROGRAM, KEEPALIVE_PROTOCOL_VERSION, MessageStatus, MessageType } from '../../../src/rpc/protocol.js';
import { eventually } from '../../helpers/eventually.js';
import { errorReply, FakeServer, frame, handshakeReplies, replyTo, type Received } from '../../rpc/fake-server.js';
import { rejection } from '../../helpers/vir-error.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

const PROC = { CONNECT_OPEN: 1, CONNECT_CLOSE: 2, CONNECT_GET_TYPE: 3, LOOKUP_BY_NAME: 23, SUPPORTS_FEATURE: 60, AUTH_LIST: 66 };

/** A peer that answers the handshake and lookups, recording every call it is sent. */
async function recordingPeer(): Promise<{ server: FakeServer; calls: Received[] }> {
  const calls: Received[] = [];
  const answer = handshakeReplies((m, sock) => {
    if (m.header.proc === PROC.LOOKUP_BY_NAME) {
      sock.write(frame(replyTo(m.header), (w) => w.string('test', 64).fixedOpaque(Buffer.alloc(16, 1), 16).int(1)));
    }
  });
  const server = await FakeServer.start((m, sock) => {
    if (m.header.type === MessageType.CALL) calls.push(m);
    answer(m, sock);
  });
  servers.push(server);
  return { server, calls };
}

describe('the calls of an open, a first call and a close', () => {
  it('are AUTH_LIST and CONNECT_OPEN, the call, then CONNECT_CLOSE: no feature query, no type query for test://', async () => {
    const { server, calls } = await recordingPeer();
    const conn = await openConnection(`test+unix:///default?socket=${server.path}`);
    expect(conn.getType()).toBe('TEST');
    await conn.lookupDomainByName('test');
    await conn.close();
    await eventually(() => (calls.some((c) => c.header.proc === PROC.CONNECT_CLOSE) ? true : undefined), 5000, 'CONNECT_CLOSE');
    expect(calls.map((c) => c.header.proc)).toEqual([PROC.AUTH_LIST, PROC.CONNECT_OPEN, PROC.LOOKUP_BY_NAME, PROC.CONNECT_CLOSE]);
  });

  it('ask the daemon for the driver type, with the open, when the scheme does not say it', async () => {
    const { server, calls } = await recordingPeer();
    // The peer answers TEST whatever it is asked to open: the type comes from its answer, not from the URI.
    const conn = await openConnection(`lxc+unix:///?socket=${server.path}`);
    expect(conn.getType()).toBe('TEST');
    await conn.close();
    await eventually(() => (calls.some((c) => c.header.proc === PROC.CONNECT_CLOSE) ? true : undefined), 5000, 'CONNECT_CLOSE');
    expect(calls.map((c) => c.header.proc)).toEqual([PROC.AUTH_LIST, PROC.CONNECT_OPEN, PROC.CONNECT_GET_TYPE, PROC.CONNECT_CLOSE]);
  });

  it('asks whether the daemon speaks keepalive once the connection has been quiet for the interval', async () => {
    const { server, calls } = await recordingPeer();
    const conn = await openConnection(`test+unix:///default?socket=${server.path}&keepalive_interval=0.05`);
    try {
      const feature = await eventually(() => calls.find((c) => c.header.proc === PROC.SUPPORTS_FEATURE), 5000, 'the keepalive question');
      expect(feature.body.int()).toBe(10); // VIR_DRV_FEATURE_PROGRAM_KEEPALIVE
    } finally {
      await conn.close();
    }
  });

  // libvirtd runs AUTH_LIST and CONNECT_OPEN concurrently; on a polkit socket AUTH_LIST is what lets root in, so a
  // CONNECT_OPEN that runs first is refused (VIR_ERR_RPC 'authentication required'). The scripted peer refuses the
  // first `refusals` opens that way, as that daemon does when the open wins the race.
  async function racingPeer(refusals: number): Promise<{ server: FakeServer; calls: Received[] }> {
    const calls: Received[] = [];
    const answer = handshakeReplies();
    let refused = 0;
    const server = await FakeServer.start((m, sock) => {
      if (m.header.type !== MessageType.CALL) return;
      calls.push(m);
      if (m.header.proc === PROC.CONNECT_OPEN && refused < refusals) {
        refused++;
        sock.write(errorReply(m.header, { code: 39, domain: 7, message: 'authentication required', level: 2 }));
        return;
      }
      answer(m, sock);
    });
    servers.push(server);
    return { server, calls };
  }

  it('ask for the open again when the daemon ran it before AUTH_LIST let the client in', async () => {
    const { server, calls } = await racingPeer(1);
    const conn = await openConnection(`test+unix:///default?socket=${server.path}`);
    await conn.close();
    expect(calls.slice(0, 3).map((c) => c.header.proc)).toEqual([PROC.AUTH_LIST, PROC.CONNECT_OPEN, PROC.CONNECT_OPEN]);
  });

  it("fail with the daemon's error when the open is refused again after AUTH_LIST", async () => {
    const { server, calls } = await racingPeer(2);
    const e = await rejection(openConnection(`test+unix:///default?socket=${server.path}`));
    expect(e.toJSON()).toEqual({ code: 39, domain: 7, level: 2, message: 'authentication required' });
    expect(calls.map((c) => c.header.proc)).toEqual([PROC.AUTH_LIST, PROC.CONNECT_OPEN, PROC.CONNECT_OPEN]);
  });
});

// libvirt's client waits for CONNECT_CLOSE's answer, then closes its socket; the daemon closes its side after
// answering. virtune does not wait for the answer, and leaves the closing to the daemon all the same: a daemon that
// reads the end of the stream before it has closed the connection logs an error ("End of file while reading
// data") for every connection. These pin that: no wait, no end of the stream before the peer has closed its side
// (unless it never does), and no socket left open by a peer that never closes.
describe('a close', () => {
  /**
   * A peer that answers the open, answers CONNECT_CLOSE after `answerCloseMs` and then ends its side (or neither,
   * when undefined), and records in order what reaches it and what it did.
   */
  async function closingPeer(answerCloseMs: number | undefined): Promise<{ server: FakeServer; seen: string[] }> {
    const seen: string[] = [];
    const answer = handshakeReplies();
    const watched = new WeakSet<object>();
    const server = await FakeServer.start(
      (m, sock) => {
        if (m.header.type !== MessageType.CALL) return;
        if (!watched.has(sock)) {
          watched.add(sock);
          sock.on('end', () => seen.push('end'));
        }
        seen.push(`call ${m.header.proc}`);
        if (m.header.proc !== PROC.CONNECT_CLOSE) {
          answer(m, sock);
        } else if (answerCloseMs !== undefined) {
          // A daemon busy elsewhere answers a little later, then closes the connection.
          setTimeout(() => {
            sock.end(frame(replyTo(m.header)));
            seen.push('answered and closed');
          }, answerCloseMs);
        }
      },
      { allowHalfOpen: true },
    );
    servers.push(server);
    return { server, seen };
  }

  it('does not wait for the answer to CONNECT_CLOSE, and ends the stream only after the daemon closed its side', async () => {
    const { server, seen } = await closingPeer(30);
    const conn = await openConnection(`test+unix:///default?socket=${server.path}`);
    await conn.close();
    expect(seen).not.toContain('answered and closed'); // close() resolved before the answer
    await eventually(() => (seen.includes('end') ? true : undefined), 5000, 'the end of the stream');
    expect(seen).toEqual([`call ${PROC.AUTH_LIST}`, `call ${PROC.CONNECT_OPEN}`, `call ${PROC.CONNECT_CLOSE}`, 'answered and closed', 'end']);
  });

  it('cuts off a peer that never answers CONNECT_CLOSE nor closes its side', async () => {
    const { server, seen } = await closingPeer(undefined);
    const conn = await openConnection(`test+unix:///default?socket=${server.path}`);
    await conn.close(); // the peer never answers: a close that waited would not resolve
    // virtune ends and drops its socket CLOSE_LINGER_MS after the close; from then on what the peer writes has nowhere
    // to go (EPIPE).
    await eventually(() => (seen.includes('end') ? true : undefined), CLOSE_LINGER_MS + 10_000, 'the end of the stream');
    expect(seen).toEqual([`call ${PROC.AUTH_LIST}`, `call ${PROC.CONNECT_OPEN}`, `call ${PROC.CONNECT_CLOSE}`, 'end']);
    const peer = server.sockets[0]!;
    let broken = false;
    peer.on('error', () => (broken = true));
    await eventually(
      () => {
        if (!broken && !peer.destroyed) {
          peer.write(frame({ prog: KEEPALIVE_PROGRAM, vers: KEEPALIVE_PROTOCOL_VERSION, proc: KEEPALIVE_PROC_PING, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK }));
        }
        return broken || peer.destroyed ? true : undefined;
      },
      10_000,
      'the client to drop its socket',
    );
  }, CLOSE_LINGER_MS + 30_000);
});
