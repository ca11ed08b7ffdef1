import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

// glibc's strerror texts, which libvirt's virReportSystemError appends; Node's own texts are libuv's and differ.
const STRERROR: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  E2BIG: 'Argument list too long',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  ERANGE: 'Numerical result out of range',
  ENAMETOOLONG: 'File name too long',
  ENOTEMPTY: 'Directory not empty',
  ENODEV: 'No such device',
  ENXIO: 'No such device or address',
  EOPNOTSUPP: 'Operation not supported',
  ENOTSUP: 'Operation not supported',
};

/** The errno name of a Node system error (`EBUSY`), or undefined for anything else. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** glibc's strerror text for an errno name. */
export function strerror(errno: string | undefined): string {
  if (errno === undefined) return 'Unknown error';
  return STRERROR[errno] ?? errno;
}

/**
 * libvirt's virReportSystemError: SYSTEM_ERROR with `text: strerror(errno)`, carrying the errno name and path.
 */
export function systemError(domain: ErrorDomain, text: string, err: unknown, path?: string): VirError {
  const errno = errnoOf(err);
  return new VirError(ErrorCode.SYSTEM_ERROR, domain, `${text}: ${strerror(errno)}`, {
    ...(errno === undefined ? {} : { errno }),
    ...(path === undefined ? {} : { path }),
    cause: err,
  });
}

/**
 * libvirt's virCgroupSetValueRaw failure: `Invalid value '%s' for '%s'` (file name only) on EINVAL,
 * `Unable to write to '%s'` (full path) otherwise, each followed by strerror.
 */
export function cgroupWriteError(path: string, value: string, err: unknown): VirError {
  if (errnoOf(err) === 'EINVAL') {
    const file = path.slice(path.lastIndexOf('/') + 1);
    return systemError(ErrorDomain.CGROUP, `Invalid value '${value}' for '${file}'`, err, path);
  }
  return systemError(ErrorDomain.CGROUP, `Unable to write to '${path}'`, err, path);
}

/** libvirt's virCgroupGetValueStr failure: `Unable to read from '%s'`. */
export function cgroupReadError(path: string, err: unknown): VirError {
  return systemError(ErrorDomain.CGROUP, `Unable to read from '${path}'`, err, path);
}
