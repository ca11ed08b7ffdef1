// The thread behind GuestCgroupFs (./guest-cgroupfs.ts): it owns the unix socket QEMU connects the guest's second
// serial port to, so that the socket is served while the test's thread is blocked in a synchronous file operation.
// The test's thread posts a request on `replies`, then sleeps on `signal`; this thread sends it to the guest,
// collects the reply lines up to the final `O`/`E` line, posts them on `replies` and wakes it.
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const { socketPath, replies, signal } = workerData;
const flag = new Int32Array(signal);

let socket;
let buffered = '';
let pending = []; // reply lines collected so far
let ready = false;

function wake(message) {
  replies.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function onLine(line) {
  if (!ready) {
    // The guest's first line: `R <kernel release>` once it serves requests.
    if (line.startsWith('R ')) {
      ready = true;
      parentPort.postMessage({ ready: line.slice(2) });
    }
    return;
  }
  pending.push(line);
  if (line === 'O' || line.startsWith('E ')) {
    const lines = pending;
    pending = [];
    wake({ lines });
  }
}

const server = createServer((s) => {
  if (socket) return s.destroy(); // QEMU connects once
  socket = s;
  s.setEncoding('utf8');
  s.on('data', (chunk) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      onLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
  s.on('close', () => {
    parentPort.postMessage({ closed: true });
    // A request in flight gets no answer: say so instead of letting the caller wait for its deadline.
    wake({ closed: true });
  });
  s.on('error', () => {});
});
server.listen(socketPath, () => parentPort.postMessage({ listening: true }));
server.on('error', (e) => parentPort.postMessage({ error: String(e) }));

replies.on('message', (m) => {
  if (m.send !== undefined && socket && !socket.destroyed) socket.write(m.send);
  else if (m.send !== undefined) wake({ closed: true });
  else if (m.stop) {
    server.close();
    socket?.destroy();
    replies.close();
  }
});
