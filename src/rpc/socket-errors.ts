import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

// glibc's strerror texts for what a connect can fail with (libvirt appends them; Node's own texts differ).
const SOCKET_STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENOTSOCK: 'Socket operation on non-socket',
  EPIPE: 'Broken pipe',
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
};

/** libvirt's SYSTEM_ERROR for a failed socket operation, `text: strerror`, keeping the errno name. */
export function connectError(text: string, err: unknown): VirError {
  const code = (err as { code?: unknown } | null)?.code;
  const errno = typeof code === 'string' ? code : undefined;
  const reason = errno === undefined ? (err as Error).message : (SOCKET_STRERROR[errno] ?? errno);
  return new VirError(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, `${text}: ${reason}`, {
    ...(errno === undefined ? {} : { errno }),
    cause: err,
  });
}

/** The error for a peer that does not accept or answer before the connect deadline. */
export function connectTimeoutError(what: string, timeoutMs: number): VirError {
  return new VirError(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.RPC, `cannot connect to ${what} within ${timeoutMs} ms`);
}
