/**
 * Event messages from a scripted daemon (test/rpc/fake-server.ts) become virtune events: lifecycle, tunable with
 * its typed parameters, balloon change. libvirt's test and QEMU daemons send lifecycle events (see
 * remote-driver.test.ts and qemu-daemon.test.ts) but no tunable event for memtune, so those are scripted here.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/index.js';
import { DomainEventType, type DomainEvent } from '../../../src/events.js';
import { MessageStatus, MessageType, REMOTE_PROGRAM } from '../../../src/rpc/protocol.js';
import { writeDomain, writeTypedParam } from '../../../src/rpc/remote-types.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';
import type { XdrWriter } from '../../../src/rpc/xdr.js';
import { eventually } from '../../helpers/eventually.js';
import { FakeServer, frame, handshakeReplies } from '../../rpc/fake-server.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

const DOM = { name: 'vm1', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', id: 3 };
const event = (proc: number, body: (w: XdrWriter) => void): Buffer =>
  frame({ prog: REMOTE_PROGRAM, vers: 1, proc, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK }, body);

describe('remote domain events', () => {
  it('turn into lifecycle, tunable and balloon-change events, for the registered callbacks only', async () => {
    const server = await FakeServer.start(handshakeReplies());
    servers.push(server);
    const conn = await openConnection(`test+unix:///default?socket=${server.path}`);
    const events: DomainEvent[] = [];
    conn.on('event', (e) => events.push(e));
    await conn.subscribeEvents();
    const sock: Socket = server.sockets[0]!;
    sock.write(event(318, (w) => (w.int(1), writeDomain(w, DOM), w.int(DomainEventType.STOPPED).int(1))));
    sock.write(event(318, (w) => (w.int(99), writeDomain(w, DOM), w.int(DomainEventType.STARTED).int(0)))); // not ours
    sock.write(
      event(346, (w) => {
        w.int(2);
        writeDomain(w, DOM);
        w.array([{ field: 'memory.hard_limit', type: TypedParameterType.ULLONG, value: 1048576n }], 2048, writeTypedParam);
      }),
    );
    sock.write(event(331, (w) => (w.int(3), writeDomain(w, DOM), w.uhyper(524288n))));
    sock.write(event(9999, (w) => w.int(1))); // an event virtune does not know
    await eventually(() => (events.length >= 3 ? true : undefined), 10_000, 'three events');
    expect(events).toEqual([
      { kind: 'lifecycle', domain: DOM, event: DomainEventType.STOPPED, detail: 1 },
      { kind: 'tunable', domain: DOM, params: [{ field: 'memory.hard_limit', type: TypedParameterType.ULLONG, value: 1048576n }] },
      { kind: 'balloon-change', domain: DOM, actualKiB: 524288n },
    ]);
    await conn.close();
  });
});
