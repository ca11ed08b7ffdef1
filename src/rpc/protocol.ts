/**
 * The fixed part of libvirt's RPC protocol (virnetprotocol.x, virkeepaliveprotocol.x): message framing numbers,
 * the header, the error structure. Facts from libvirt's protocol definitions, encoded by our own XDR code.
 */
import { XdrError, type XdrReader, type XdrWriter } from './xdr.js';

/** `REMOTE_PROGRAM`: the hypervisor API. */
export const REMOTE_PROGRAM = 0x2000_8086;
export const REMOTE_PROTOCOL_VERSION = 1;
/** `KEEPALIVE_PROGRAM` ("keep"): PING and PONG, no payload. */
export const KEEPALIVE_PROGRAM = 0x6b65_6570;
export const KEEPALIVE_PROTOCOL_VERSION = 1;
export const KEEPALIVE_PROC_PING = 1;
export const KEEPALIVE_PROC_PONG = 2;

/** `VIR_NET_MESSAGE_MAX`: the most bytes one message may have, header and payload (libvirt ≥ 4.x: 32 MiB). */
export const MESSAGE_MAX = 33_554_432;
/** `VIR_NET_MESSAGE_HEADER_MAX`: six 4-byte fields. */
export const HEADER_SIZE = 24;
/** `VIR_NET_MESSAGE_LEN_MAX`: the length word in front of every message, counting itself. */
export const LENGTH_WORD = 4;
/** `VIR_NET_MESSAGE_STRING_MAX` (and `REMOTE_STRING_MAX` in libvirt ≥ 6): the longest string. */
export const STRING_MAX = 4_194_304;

/** `virNetMessageType`. */
export enum MessageType {
  CALL = 0,
  REPLY = 1,
  MESSAGE = 2,
  STREAM = 3,
  CALL_WITH_FDS = 4,
  REPLY_WITH_FDS = 5,
  STREAM_HOLE = 6,
}

/** `virNetMessageStatus`. */
export enum MessageStatus {
  OK = 0,
  ERROR = 1,
  CONTINUE = 2,
}

/** `virNetMessageHeader`. */
export interface MessageHeader {
  prog: number;
  vers: number;
  proc: number;
  type: MessageType;
  serial: number;
  status: MessageStatus;
}

export function writeHeader(w: XdrWriter, h: MessageHeader): void {
  w.uint(h.prog).uint(h.vers).int(h.proc).int(h.type).uint(h.serial).int(h.status);
}

export function readHeader(r: XdrReader): MessageHeader {
  const h = { prog: r.uint(), vers: r.uint(), proc: r.int(), type: r.int(), serial: r.uint(), status: r.int() };
  if (!(h.type in MessageType)) throw new XdrError(`unknown message type ${h.type}`);
  if (!(h.status in MessageStatus)) throw new XdrError(`unknown message status ${h.status}`);
  return h;
}

/** The fields of `virNetMessageError` virtune uses (the rest are read and dropped). */
export interface WireError {
  code: number;
  domain: number;
  message: string | undefined;
  level: number;
}

const UUID_LEN = 16;

function skipDomain(r: XdrReader): void {
  r.string(STRING_MAX);
  r.fixedOpaque(UUID_LEN);
  r.int();
}

/** Reads `virNetMessageError` (remote_error): code, domain, message, level and fields libvirt no longer fills. */
export function readWireError(r: XdrReader): WireError {
  const code = r.int();
  const domain = r.int();
  const message = r.optional((x) => x.string(STRING_MAX));
  const level = r.int();
  r.optional(skipDomain);
  for (let i = 0; i < 3; i++) r.optional((x) => x.string(STRING_MAX));
  r.int();
  r.int();
  r.optional((x) => {
    x.string(STRING_MAX);
    x.fixedOpaque(UUID_LEN);
  });
  return { code, domain, message, level };
}

/** Writes `virNetMessageError`; only test servers send errors, but the layout lives in one place. */
export function writeWireError(w: XdrWriter, e: WireError): void {
  w.int(e.code).int(e.domain);
  w.optional(e.message, (x, m) => x.string(m, STRING_MAX));
  w.int(e.level);
  w.bool(false).bool(false).bool(false).bool(false).int(0).int(0).bool(false);
}
