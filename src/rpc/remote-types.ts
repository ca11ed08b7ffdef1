/**
 * XDR layouts of remote_protocol.x's shared types: domains, UUIDs, typed parameters. Facts from libvirt's protocol
 * definition, encoded with our own XDR code.
 */
import { TypedParameterType, type TypedParameter, type TypedParameterInput } from '../typed-params/types.js';
import { STRING_MAX } from './protocol.js';
import { XdrError, type XdrReader, type XdrWriter } from './xdr.js';

/** `VIR_UUID_BUFLEN`. */
export const UUID_BYTES = 16;

/** `remote_nonnull_domain`: how the protocol names a domain. `uuid` in libvirt's string form. */
export interface WireDomain {
  name: string;
  uuid: string;
  id: number;
}

/** The bytes of the UUIDs seen lately: every call on a domain names it, and parsing the text each time showed up. */
const uuidBytes = new Map<string, Buffer>();
const UUID_CACHE_MAX = 1024;

/** `6695eb01-f6a4-8304-79aa-97f2502e193f` ⇄ its 16 bytes. The buffer returned is shared: never write to it. */
export function uuidToBytes(uuid: string): Buffer {
  let bytes = uuidBytes.get(uuid);
  if (bytes === undefined) {
    const hex = uuid.replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`invalid UUID '${uuid}'`);
    bytes = Buffer.from(hex, 'hex');
    if (uuidBytes.size >= UUID_CACHE_MAX) uuidBytes.clear();
    uuidBytes.set(uuid, bytes);
  }
  return bytes;
}

export function uuidFromBytes(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function writeDomain(w: XdrWriter, d: WireDomain): void {
  w.string(d.name, STRING_MAX).fixedOpaque(uuidToBytes(d.uuid), UUID_BYTES).int(d.id);
}

export function readDomain(r: XdrReader): WireDomain {
  return { name: r.string(STRING_MAX), uuid: uuidFromBytes(r.fixedOpaque(UUID_BYTES)), id: r.int() };
}

/** `remote_string`: a string that may be NULL. */
export function writeOptionalString(w: XdrWriter, s: string | undefined): void {
  w.optional(s, (x, v) => x.string(v, STRING_MAX));
}

/** `remote_typed_param`: the field name, then a union of the seven value types keyed by the type number. */
export function writeTypedParam(w: XdrWriter, p: TypedParameterInput): void {
  w.string(p.field, STRING_MAX).int(p.type);
  switch (p.type) {
    case TypedParameterType.INT:
      w.int(p.value);
      return;
    case TypedParameterType.UINT:
      w.uint(p.value);
      return;
    case TypedParameterType.LLONG:
      w.hyper(BigInt(p.value));
      return;
    case TypedParameterType.ULLONG:
      w.uhyper(BigInt(p.value));
      return;
    case TypedParameterType.DOUBLE:
      w.double(p.value);
      return;
    case TypedParameterType.BOOLEAN:
      w.int(p.value ? 1 : 0);
      return;
    case TypedParameterType.STRING:
      w.string(p.value, STRING_MAX);
      return;
    default:
      throw new RangeError(`unknown typed parameter type ${(p as { type: number }).type}`);
  }
}

export function readTypedParam(r: XdrReader): TypedParameter {
  const field = r.string(STRING_MAX);
  const type = r.int();
  switch (type) {
    case TypedParameterType.INT:
      return { field, type, value: r.int() };
    case TypedParameterType.UINT:
      return { field, type, value: r.uint() };
    case TypedParameterType.LLONG:
      return { field, type, value: r.hyper() };
    case TypedParameterType.ULLONG:
      return { field, type, value: r.uhyper() };
    case TypedParameterType.DOUBLE:
      return { field, type, value: r.double() };
    case TypedParameterType.BOOLEAN:
      return { field, type, value: r.int() !== 0 };
    case TypedParameterType.STRING:
      return { field, type, value: r.string(STRING_MAX) };
    default:
      throw new XdrError(`unknown typed parameter type ${type}`);
  }
}
