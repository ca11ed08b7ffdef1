import type { DomainEventSink } from '../../events.js';
import type { RpcClient, ServerMessage } from '../../rpc/client.js';
import { REMOTE_PROGRAM } from '../../rpc/protocol.js';
import { DOMAIN_EVENT_ID, invoke, REMOTE_EVENTS, REMOTE_PROCEDURES as P } from '../../rpc/remote-procedures.js';

/** The daemon's events virtune turns into its own: lifecycle, tunable, balloon change. */
const WANTED = [DOMAIN_EVENT_ID.LIFECYCLE, DOMAIN_EVENT_ID.TUNABLE, DOMAIN_EVENT_ID.BALLOON_CHANGE];

/**
 * Registers with the daemon for domain events (one callback per event id, for every domain) and turns each event
 * message into a virtune {@link DomainEvent}. Messages for callbacks it did not register are ignored, as are
 * procedures it does not know; a message that does not decode is dropped (the daemon is libvirt, the stream stays
 * in step because framing is separate).
 */
export async function subscribeRemoteEvents(client: RpcClient, emit: DomainEventSink): Promise<void> {
  const callbacks = new Set<number>();
  client.on('message', (m: ServerMessage) => {
    if (m.header.prog !== REMOTE_PROGRAM) return;
    const read = REMOTE_EVENTS[m.header.proc as keyof typeof REMOTE_EVENTS];
    if (read === undefined) return;
    let e: ReturnType<typeof read>;
    try {
      e = read(m.body);
    } catch {
      return;
    }
    if (!callbacks.has(e.callbackID)) return;
    switch (e.kind) {
      case 'lifecycle':
        emit({ kind: 'lifecycle', domain: e.dom, event: e.event, detail: e.detail });
        return;
      case 'tunable':
        emit({ kind: 'tunable', domain: e.dom, params: e.params });
        return;
      case 'balloon-change':
        emit({ kind: 'balloon-change', domain: e.dom, actualKiB: e.actual });
        return;
    }
  });
  const ids = await Promise.all(WANTED.map((eventID) => invoke(client, P.connectDomainEventCallbackRegisterAny, { eventID, dom: undefined })));
  for (const id of ids) callbacks.add(id);
}
