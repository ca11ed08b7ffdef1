import { connect } from 'node:net';

/**
 * Resolves once the QMP monitor at `socketPath` has greeted and accepted `qmp_capabilities`: the moment a
 * management tool can start issuing commands. Polls for the socket every millisecond until `deadline` (ms since
 * the epoch), since a bare QEMU gives no other sign that it is listening.
 */
export async function waitQmpReady(socketPath, deadline) {
  await qmpPhases(socketPath, { deadline });
}

/**
 * Connects to the monitor at `socketPath` (polling every millisecond until `deadline`, ms since the epoch) and
 * resolves with the ms from `start` (a process.hrtime.bigint reading) to QEMU's greeting, to the answer to
 * `qmp_capabilities`, and with `withCont` to the answer to `cont` sent after it (a guest started with -S runs).
 */
export async function qmpPhases(socketPath, { start = process.hrtime.bigint(), deadline, withCont = false }) {
  return untilListening(() => handshake(socketPath, start, withCont), deadline);
}

/**
 * Runs `session` (which connects to a QEMU monitor) again every millisecond while the socket is not there or
 * refuses, until `deadline` (ms since the epoch): a QEMU that makes its own socket gives no other sign it listens.
 */
export async function untilListening(session, deadline) {
  for (;;) {
    try {
      return await session();
    } catch (err) {
      if (!['ENOENT', 'ECONNREFUSED'].includes(err.code) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 1));
    }
  }
}

/** Calls `onMessage` with each newline-terminated JSON message the monitor socket `sock` sends. */
export function onQmpMessages(sock, onMessage) {
  let buffer = '';
  sock.setEncoding('utf8');
  sock.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      onMessage(msg);
    }
  });
}

function handshake(socketPath, start, withCont) {
  const since = () => Number(process.hrtime.bigint() - start) / 1e6;
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    const phases = {};
    let done = false;
    sock.on('error', reject);
    sock.on('close', () => reject(Object.assign(new Error('QMP closed before it was ready'), { code: 'ECONNRESET' })));
    onQmpMessages(sock, (msg) => {
      if (done) return;
      if (phases.greeting === undefined && msg.QMP) {
        phases.greeting = since();
        sock.write('{"execute":"qmp_capabilities"}\n');
      } else if (phases.greeting !== undefined && 'return' in msg) {
        if (phases.capabilities === undefined) {
          phases.capabilities = since();
          if (withCont) {
            sock.write('{"execute":"cont"}\n');
            return;
          }
        } else {
          phases.cont = since();
        }
        done = true;
        sock.removeAllListeners('close');
        sock.destroy();
        resolve(phases);
      }
    });
  });
}

/** The QMP socket path in a QEMU argv: `-qmp unix:PATH,...` or the path of the chardev a `-mon mode=control` uses. */
export function qmpSocketFromArgv(argv) {
  const value = (flag) => argv.flatMap((a, i) => (a === flag && i + 1 < argv.length ? [argv[i + 1]] : []));
  for (const q of value('-qmp')) {
    const m = /^unix:([^,]+)/.exec(q);
    if (m) return m[1];
  }
  const monitors = value('-mon')
    .filter((m) => /(^|,)mode=control(,|$)/.test(m))
    .map((m) => /(?:^|,)chardev=([^,]+)/.exec(m)?.[1]);
  for (const c of value('-chardev')) {
    const id = /(?:^|,)id=([^,]+)/.exec(c)?.[1];
    const path = /(?:^|,)path=([^,]+)/.exec(c)?.[1];
    if (c.startsWith('socket') && path && monitors.includes(id)) return path;
  }
  return null;
}
