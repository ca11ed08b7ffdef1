import { once } from 'node:events';
import { renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';

/**
 * The QMP monitor's listening socket, made by the driver and handed to QEMU as a file descriptor
 * (`-chardev socket,fd=N,server=on`). It accepts from the moment it exists, so the driver connects at once and
 * QEMU's greeting is simply the first thing to arrive: no polling for QEMU to create the socket, no file watch.
 */
export interface MonitorListener {
  /** The listening socket's descriptor in this process, for the child's stdio. */
  readonly fd: number;
  /**
   * Lets go of this process's copy once the child holds its own; the socket, and its path, stay for QEMU and for
   * every later connection.
   */
  handOver(): void;
  /** Closes it and removes its path (when nothing was handed over). */
  close(): void;
}

/**
 * Listens on the unix socket `path` (which must not exist).
 * @throws VirError SYSTEM_ERROR when the socket cannot be made.
 */
export async function listenMonitor(path: string): Promise<MonitorListener> {
  const server = createServer();
  // Bound and listening on return; a failure is only reported on the next tick.
  server.listen(path);
  const fd = (server as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  if (!server.listening || typeof fd !== 'number' || fd < 0) {
    const [err] = server.listening ? [new Error('no descriptor for the listening socket')] : ((await once(server, 'error')) as [Error]);
    server.close();
    throw new VirError(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, `cannot listen on monitor socket '${path}': ${err.message}`, {
      errno: (err as NodeJS.ErrnoException).code,
      path,
      cause: err,
    });
  }
  return {
    fd,
    handOver: () => {
      // libuv removes the path it bound when its handle closes, so the path is moved aside for that moment.
      const aside = `${path}.handover`;
      renameSync(path, aside);
      try {
        server.close();
      } finally {
        renameSync(aside, path);
      }
    },
    close: () => {
      server.close();
    },
  };
}
