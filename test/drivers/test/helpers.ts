import { afterEach } from 'vitest';
import { openConnection, type Connection } from '../../../src/index.js';
import { VirError } from '../../../src/errors.js';
import type { DomainEvent } from '../../../src/events.js';

/** Opens connections that are closed after each test; collects their events. */
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

/** The VirError a promise rejects with. */
export async function rejection(p: Promise<unknown>): Promise<VirError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VirError) return e;
    throw e;
  }
  throw new Error('expected a VirError');
}

/** A minimal domain of the test driver. */
export function domainXML(name: string, extra = ''): string {
  return `<domain type='test'><name>${name}</name><memory>1048576</memory><os><type>hvm</type></os>${extra}</domain>`;
}
