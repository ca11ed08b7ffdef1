import { afterEach } from 'vitest';
import { openConnection, type Connection } from '../../src/index.js';
import type { DomainEvent } from '../../src/events.js';

/** Opens connections that are closed after each test of the calling file; collects their events. */
export function connections(): { open(uri?: string): Promise<{ conn: Connection; events: DomainEvent[] }> } {
  const opened: Connection[] = [];
  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
  });
  return {
    async open(uri = 'test:///default') {
      const conn = await openConnection(uri);
      opened.push(conn);
      const events: DomainEvent[] = [];
      conn.on('event', (e) => events.push(e));
      return { conn, events };
    },
  };
}
