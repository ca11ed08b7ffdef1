// The floor of the remote bench: a minimal client of libvirt's RPC protocol over Node's net, sending the calls
// virtune sends, pre-encoded, and only counting the replies (no decoding, no promises per call, no deadlines, no
// errors handled). Whatever a real client does on top costs more; what this one reaches is what the daemon and
// Node's sockets allow on this machine.
import { connect } from 'node:net';

const REMOTE_PROGRAM = 0x20008086;
const PROC = { CONNECT_OPEN: 1, CONNECT_CLOSE: 2, LOOKUP_BY_NAME: 23, SET_MEMORY_PARAMETERS: 197, GET_MEMORY_PARAMETERS: 198, AUTH_LIST: 66 };
const ULLONG = 3;

const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
function xdrString(s) {
  const bytes = Buffer.from(s);
  return Buffer.concat([u32(bytes.length), bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4)]);
}
/** One call: length word, header (program, version 1, procedure, CALL, serial, OK), payload. */
function call(proc, serial, payload = Buffer.alloc(0)) {
  const head = Buffer.alloc(28);
  head.writeUInt32BE(28 + payload.length, 0);
  head.writeUInt32BE(REMOTE_PROGRAM, 4);
  head.writeUInt32BE(1, 8);
  head.writeUInt32BE(proc, 12);
  head.writeUInt32BE(serial, 20);
  return Buffer.concat([head, payload]);
}
const SERIAL_OFFSET = 20;
/** `remote_nonnull_domain`. */
const domain = (name, uuid, id) => Buffer.concat([xdrString(name), Buffer.from(uuid.replace(/-/g, ''), 'hex'), u32(id)]);

/** Splits received bytes into messages and counts them; `onMessages(k)` after each chunk that completed k. */
function counter(socket, onMessages) {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let k = 0;
    while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
      pending = pending.subarray(pending.readUInt32BE(0));
      k++;
    }
    if (k > 0) onMessages(k);
  });
}

function connected(path) {
  return new Promise((resolve, reject) => {
    const s = connect({ path });
    s.once('connect', () => {
      s.off('error', reject);
      s.on('error', () => {}); // a reset after the close is of no interest here
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** The messages of an open of `name` and of a lookup of domain `dom`, as virtune sends them. */
export function openMessages(name, dom) {
  return {
    open: Buffer.concat([call(PROC.AUTH_LIST, 1), call(PROC.CONNECT_OPEN, 2, Buffer.concat([u32(1), xdrString(name), u32(0)]))]),
    lookup: call(PROC.LOOKUP_BY_NAME, 3, xdrString(dom)),
    close: call(PROC.CONNECT_CLOSE, 4),
  };
}

/** One open + lookup + close on the daemon's unix socket `path`, as virtune makes it (see openMessages). */
export async function minimalOpenCycle(path, m) {
  const s = await connected(path);
  let got = 0;
  let wake;
  counter(s, (k) => {
    got += k;
    wake?.();
  });
  const until = (n) => new Promise((resolve) => (wake = () => got >= n && resolve()));
  const opened = until(2);
  s.write(m.open);
  await opened;
  const found = until(3);
  s.write(m.lookup);
  await found;
  // As virtune: CONNECT_CLOSE not awaited, and the daemon closes the connection after answering it (Node ends
  // this side when it reads the daemon's end of stream).
  s.write(m.close);
}

/**
 * Opens a connection to `name` at `path` and keeps it open until `close()`: while one connection of the daemon
 * holds test:///default, the test driver keeps that state instead of building it at every open and freeing it at
 * every close (libvirt's testConnectOpen shares it among the connections that have it open).
 */
export async function holdOpen(path, name) {
  const s = await connected(path);
  await new Promise((resolve) => {
    let got = 0;
    counter(s, (k) => {
      got += k;
      if (got >= 2) resolve();
    });
    s.write(openMessages(name, '').open);
  });
  return {
    close: () =>
      new Promise((resolve) => {
        s.once('close', resolve);
        s.write(call(PROC.CONNECT_CLOSE, 3));
      }),
  };
}

/**
 * Seconds for `n` memtune set+get pairs on domain `dom` ({name, uuid, id}) of the connection opened to `name`
 * at `path`, keeping `inFlight` calls outstanding (set and get alternate), sending what each reply frees at once.
 */
export async function minimalPairs(path, name, dom, values, n, inFlight) {
  const s = await connected(path);
  const target = domain(dom.name, dom.uuid, dom.id);
  const param = (v) => {
    const hyper = Buffer.alloc(8);
    hyper.writeBigUInt64BE(BigInt(v));
    return Buffer.concat([xdrString('hard_limit'), u32(ULLONG), hyper]);
  };
  const sets = values.map((v) => call(PROC.SET_MEMORY_PARAMETERS, 0, Buffer.concat([target, u32(1), param(v), u32(0)])));
  const get = call(PROC.GET_MEMORY_PARAMETERS, 0, Buffer.concat([target, u32(16), u32(0)]));
  const total = 2 * n;
  let sent = 0;
  let answered = -2; // the open's two replies come first
  let serial = 10;
  const next = () => {
    const i = sent++;
    const m = Buffer.from(i & 1 ? get : sets[(i >> 1) & 1]);
    m.writeUInt32BE(serial++, SERIAL_OFFSET);
    return m;
  };
  const sendFreed = () => {
    const out = [];
    while (sent < total && sent - answered < inFlight) out.push(next());
    if (out.length > 0) s.write(out.length === 1 ? out[0] : Buffer.concat(out));
  };
  let start;
  await new Promise((resolve) => {
    counter(s, (k) => {
      answered += k;
      if (answered === 0 && start === undefined) start = process.hrtime.bigint();
      if (answered >= total) resolve();
      else if (answered >= 0) sendFreed();
    });
    s.write(openMessages(name, dom.name).open);
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  s.write(call(PROC.CONNECT_CLOSE, serial));
  return seconds;
}
