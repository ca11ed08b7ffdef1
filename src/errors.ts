import { ErrorCode, ErrorDomain, knownErrorDomain } from './error-codes.js';
import { FLAGS_RANGE_MESSAGE, isFlagsWord } from './error-flags-range.js';
import { formatErrorMessage } from './error-messages.js';

export { ErrorCode, ErrorDomain } from './error-codes.js';

/** libvirt's `virErrorLevel`. */
export enum ErrorLevel {
  NONE = 0,
  WARNING = 1,
  ERROR = 2,
}

/** Extra facts an error may carry; they do not change its message. */
export interface VirErrorDetails {
  /** The errno name when a system call failed (`EBUSY`, `EINVAL`, ...). */
  errno?: string;
  /** The file a system call failed on. */
  path?: string;
  /** The error that caused this one. */
  cause?: unknown;
  /**
   * Use `info` as the whole message, without the code's template. libvirt does this for a few errors raised by
   * its public entry points (`nparams in virDomainSetMemoryParameters must be greater than zero`).
   */
  verbatim?: boolean;
}

/**
 * Marks a VirError of any copy of virtune in the process: the package's ESM build (`import`) and its CommonJS build
 * (`require`) are two copies of the class, and a program may load both (directly and through a dependency).
 */
const VIR_ERROR_BRAND = Symbol.for('virtune.VirError');

/**
 * The one error type virtune throws: libvirt's error object (`virError`), with its code, domain, level and
 * message worded exactly as libvirt words it.
 *
 * @example
 * ```ts
 * try { await dom.setMemoryParameters([], 0); }
 * catch (e) { if (e instanceof VirError && e.code === ErrorCode.INVALID_ARG) console.error(e.message); }
 * ```
 */
export class VirError extends Error {
  override readonly name = 'VirError';
  readonly level: ErrorLevel = ErrorLevel.ERROR;
  readonly errno: string | undefined;
  readonly path: string | undefined;

  /**
   * @param code libvirt's error number.
   * @param domain the part of libvirt (or virtune) it comes from.
   * @param info the detail libvirt puts into the code's message template; without it the bare text is used.
   */
  constructor(
    readonly code: ErrorCode,
    readonly domain: ErrorDomain,
    readonly info?: string,
    details: VirErrorDetails = {},
  ) {
    const d = readDetails(details);
    super(d.verbatim && typeof info === 'string' ? info : messageOf(code, info), d.cause === undefined ? undefined : { cause: d.cause });
    this.errno = d.errno;
    this.path = d.path;
  }

  /**
   * `e instanceof VirError` holds for a VirError of either build of virtune (ESM or CommonJS) loaded in the
   * process, not only for this copy's class. Subclasses keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): value is VirError {
    if (this !== VirError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [VIR_ERROR_BRAND]?: unknown })[VIR_ERROR_BRAND] === true;
  }

  /** A plain object with libvirt's field names, for JSON output and comparisons. */
  toJSON(): { code: number; domain: number; level: number; message: string; errno?: string } {
    return {
      code: this.code,
      domain: this.domain,
      level: this.level,
      message: this.message,
      ...(this.errno === undefined ? {} : { errno: this.errno }),
    };
  }
}

Object.defineProperty(VirError.prototype, VIR_ERROR_BRAND, { value: true });

/**
 * The details of a VirError, each read once and only when of the right type: constructing an error must not fail
 * on a caller's odd object (a getter that throws), or the error it reports would be lost.
 */
function readDetails(details: unknown): { verbatim: boolean; cause: unknown; errno?: string; path?: string } {
  try {
    const { verbatim, cause, errno, path } = (details ?? {}) as VirErrorDetails;
    return {
      verbatim: verbatim === true,
      cause,
      ...(typeof errno === 'string' ? { errno } : {}),
      ...(typeof path === 'string' ? { path } : {}),
    };
  } catch (e) {
    return { verbatim: false, cause: e };
  }
}

/** The code's message, with `info` only when it is a string (anything else could run a caller's toString). */
function messageOf(code: unknown, info: unknown): string {
  const known = typeof code === 'number' ? (code as ErrorCode) : ErrorCode.INTERNAL_ERROR;
  return formatErrorMessage(known, typeof info === 'string' ? info : undefined);
}

/** True when `e` is a VirError (of either build of virtune), optionally with the given code. */
export function isVirError(e: unknown, code?: ErrorCode): e is VirError {
  return e instanceof VirError && (code === undefined || e.code === code);
}

/**
 * libvirt's answer to unknown flag bits (virCheckFlags): INVALID_ARG worded `unsupported flags (0x8) in function X`,
 * without the `invalid argument: ` prefix, exactly as libvirt reports it.
 */
export function checkFlags(flags: number, allowed: number, fn: string, domainGiven: ErrorDomain): void {
  const domain = knownErrorDomain(domainGiven);
  if (typeof allowed !== 'number' || typeof fn !== 'string') {
    throw new VirError(ErrorCode.INVALID_ARG, domain, 'checkFlags needs the allowed flags as a number and a function name');
  }
  if (!isFlagsWord(flags)) {
    throw new VirError(ErrorCode.INVALID_ARG, domain, `${FLAGS_RANGE_MESSAGE} in function ${fn}`);
  }
  const extra = (flags & ~allowed) >>> 0;
  if (extra !== 0) {
    throw new VirError(
      ErrorCode.INVALID_ARG,
      domain,
      `unsupported flags (0x${extra.toString(16)}) in function ${fn}`,
      { verbatim: true },
    );
  }
}

