// A caller's CimServerOptions read once and checked before anything listens: the server keeps these values, so a
// getter answering differently later changes nothing, and a wrong type is INVALID_ARG instead of a surprise —
// node's listen(port, 5) takes a number for the backlog and listens on every interface.
import { describeValue, invalidArgument } from '../error-guard.js';
import type { CimServerOptions } from './http-server.js';

/** The options as the server uses them: every field present, `log` never throwing. */
export interface CheckedServerOptions {
  readonly host: string;
  readonly port: number;
  readonly readWrite: boolean;
  readonly maxBodyBytes: number;
  readonly log: (line: string) => void;
}

const refuse = (what: string, value: unknown): never => {
  throw invalidArgument(`startCimServer: ${what}, not ${describeValue(value)}`);
};

/** `options` checked, with the defaults filled in; INVALID_ARG for a field of the wrong type or out of range. */
export function readServerOptions(options: unknown, defaults: { port: number; maxBodyBytes: number }): CheckedServerOptions {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object') return refuse('options must be an object', options);
  const { host = '127.0.0.1', port = defaults.port, readWrite, maxBodyBytes = defaults.maxBodyBytes, log } = options as Record<keyof CimServerOptions, unknown>;
  // An empty host, like a non-string one, would make node listen on every interface.
  if (typeof host !== 'string' || host === '') refuse('host must be a non-empty string', host);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) refuse('port must be an integer from 0 to 65535', port);
  if (readWrite !== undefined && typeof readWrite !== 'boolean') refuse('readWrite must be a boolean', readWrite);
  if (typeof maxBodyBytes !== 'number' || !Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    refuse('maxBodyBytes must be a non-negative integer', maxBodyBytes);
  }
  if (log !== undefined && typeof log !== 'function') refuse('log must be a function', log);
  const callerLog = log as ((line: string) => void) | undefined;
  return {
    host: host as string,
    // -0 listens like 0; kept out of node anyway, as no port is written -0.
    port: (port as number) + 0,
    readWrite: readWrite === true,
    maxBodyBytes: maxBodyBytes as number,
    log: (line) => {
      try {
        callerLog?.(line);
      } catch {
        // A logger that throws inside the server's event handlers would end the whole process: its line is lost.
      }
    },
  };
}
