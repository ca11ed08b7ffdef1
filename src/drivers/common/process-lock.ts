import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { ErrorCode, VirError, type ErrorDomain } from '../../errors.js';
import { sha256Hex } from './sha256.js';

/** How long a caller waits for a lock another process holds before giving up, ms (libvirt waits 30 s for its job lock). */
export const PROCESS_LOCK_TIMEOUT_MS = 30_000;

/** A held lock; {@link release} frees it (idempotent). */
export interface HeldProcessLock {
  release(): void;
  /** True once another process (or another connection of this one) waits for this lock. */
  readonly contended: boolean;
  /** Calls `listener` once someone waits for this lock (at once if someone already does). */
  onContended(listener: () => void): void;
}

/**
 * The Linux abstract socket name of the lock `key` in `namespace`. Abstract names live in the kernel, not in the
 * file system: nothing is ever left in a root, and the name is freed the moment the holder's socket closes,
 * which the kernel does for a process that dies in any way, SIGKILL included.
 */
export function processLockAddress(namespace: string, key: string): string {
  const digest = sha256Hex(`${namespace}\0${key}`).slice(0, 40);
  return `\0virtune-lock-${digest}`;
}

/** Binds `address`; undefined when another socket holds it. */
function tryBind(address: string, onWaiter: (s: Socket) => void): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer(onWaiter);
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') resolve(undefined);
      else reject(e);
    });
    server.listen({ path: address }, () => resolve(server));
  });
}

/**
 * Resolves when the holder of `address` lets go (or dies): a waiter connects to the holder's socket, and the
 * kernel closes that connection when the holder releases or exits. No polling, no file to go stale.
 */
function untilReleased(address: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = createConnection({ path: address });
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.once('close', (hadError) => {
      clearTimeout(timer);
      // Refused: bound but not listening yet, or released between our bind and connect. Retry soon.
      if (hadError) setTimeout(resolve, 1);
      else resolve();
    });
  });
}

/**
 * Takes the cross-process lock `key` of `namespace` (a driver root), waiting while another holder has it.
 * The lock is a listening Linux abstract unix socket: bind(2) of a name is exclusive system-wide (within a
 * network namespace) and the kernel releases it when the holder closes it or dies, so a SIGKILLed holder can
 * never leave it stale. Why this and not a lock file: see docs/reliability.md, "Cross-process locking".
 *
 * @throws VirError OPERATION_TIMEOUT after `timeoutMs` (libvirt's "cannot acquire state change lock").
 */
export async function acquireProcessLock(
  namespace: string,
  key: string,
  errorDomain: ErrorDomain,
  timeoutMs = PROCESS_LOCK_TIMEOUT_MS,
): Promise<HeldProcessLock> {
  const address = processLockAddress(namespace, key);
  const deadline = Date.now() + timeoutMs;
  const waiters = new Set<Socket>();
  let contended = false;
  let listener: (() => void) | undefined;
  let released = false;
  const onWaiter = (s: Socket): void => {
    // Accepted as the lock was being released: let it try again now.
    if (released) return void s.destroy();
    contended = true;
    waiters.add(s);
    s.on('error', () => undefined);
    s.once('close', () => waiters.delete(s));
    // Last: the listener may release the lock, which must close this waiter's connection too.
    listener?.();
  };
  for (;;) {
    const server = await tryBind(address, onWaiter);
    if (server) {
      // A held lock must not keep a process alive on its own (the task holding it does).
      server.unref();
      return {
        get contended() {
          return contended;
        },
        onContended(l) {
          listener = l;
          if (contended) l();
        },
        release() {
          if (released) return;
          released = true;
          server.close();
          for (const s of waiters) s.destroy();
        },
      };
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new VirError(
        ErrorCode.OPERATION_TIMEOUT,
        errorDomain,
        `cannot acquire state change lock '${key}': another process held it for ${timeoutMs} ms`,
      );
    }
    await untilReleased(address, left);
  }
}
