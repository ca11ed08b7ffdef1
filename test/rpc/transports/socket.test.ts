/**
 * The socket transport reads with net's `onread` into one buffer shared by every socket, and hands each read to
 * its reader as a copy of its own: bytes that came before the reader was named reach it, in order, and a chunk kept
 * across later reads (on this socket or another) keeps its bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectUnix } from '../../../src/rpc/transports/socket.js';
import { eventually } from '../../helpers/eventually.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A unix socket server that hands each accepted socket to `onSocket`. */
async function server(onSocket: (s: Socket) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'virtune-socket-transport-'));
  const path = join(dir, 'sock');
  const srv: Server = createServer((s) => {
    s.on('error', () => {});
    onSocket(s);
  });
  await new Promise<void>((r) => srv.listen(path, r));
  const sockets: Socket[] = [];
  srv.on('connection', (s) => sockets.push(s));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => srv.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });
  return path;
}

describe('the socket transport', () => {
  it('hands the bytes that came before the reader was named to it, in order, then the later ones', async () => {
    let peer: Socket | undefined;
    const path = await server((s) => {
      peer = s;
      s.write('early one;');
      s.write('early two;');
    });
    const t = await connectUnix(path, 5000);
    cleanups.push(async () => void t.socket.destroy());
    // Wait until the peer's first bytes have surely been read, without a reader.
    await eventually(() => (t.socket.bytesRead >= 20 ? true : undefined), 5000, 'the early bytes read');
    const got: string[] = [];
    t.read((chunk) => got.push(chunk.toString()));
    expect(got.join('')).toBe('early one;early two;');
    peer!.write('later;');
    await eventually(() => (got.join('').endsWith('later;') ? true : undefined), 5000, 'the later bytes');
  });

  it('gives every chunk bytes of its own: one kept while other sockets read still holds what was sent', async () => {
    const path = await server((s) => s.on('data', (d) => s.write(d)));
    const a = await connectUnix(path, 5000);
    const b = await connectUnix(path, 5000);
    cleanups.push(async () => {
      a.socket.destroy();
      b.socket.destroy();
    });
    const fromA: Buffer[] = [];
    const fromB: Buffer[] = [];
    a.read((c) => fromA.push(c));
    b.read((c) => fromB.push(c));
    a.socket.write('A'.repeat(1000));
    await eventually(() => (Buffer.concat(fromA).length === 1000 ? true : undefined), 5000, "a's echo");
    b.socket.write('B'.repeat(3000));
    await eventually(() => (Buffer.concat(fromB).length === 3000 ? true : undefined), 5000, "b's echo");
    a.socket.write('C'.repeat(500));
    await eventually(() => (Buffer.concat(fromA).length === 1500 ? true : undefined), 5000, "a's second echo");
    expect(Buffer.concat(fromA).toString()).toBe('A'.repeat(1000) + 'C'.repeat(500));
    expect(Buffer.concat(fromB).toString()).toBe('B'.repeat(3000));
  });

  it('still reports the end of the stream (the RPC client fails pending calls on it)', async () => {
    const path = await server((s) => s.end());
    const t = await connectUnix(path, 5000);
    const ended = new Promise<void>((r) => t.socket.once('end', r));
    const closed = new Promise<void>((r) => t.socket.once('close', r));
    t.read(() => {});
    await ended;
    await closed;
  });
});
