import type { CimInstance, CimInstanceName, CimNamedInstance } from './model.js';
import { parseCimResponse, readInstance, readInstanceName, readNamedInstance, returnedElements } from './xml-parse.js';

/**
 * A CIM-XML response as a client reads it, in virtune's own CIM model: the error it carries, or what it returned
 * (GetInstance: one instance; EnumerateInstances: named instances; EnumerateInstanceNames: names).
 */
export interface CimReply {
  readonly messageId: string;
  readonly method: string;
  readonly error?: { readonly code: number; readonly description: string };
  readonly instances: readonly CimInstance[];
  readonly instanceNames: readonly CimInstanceName[];
  readonly namedInstances: readonly CimNamedInstance[];
}

/**
 * Reads a CIM-XML response document (DSP0201 MESSAGE/SIMPLERSP). The XML tree stays inside: callers get plain
 * objects, so no parser's types reach the public API.
 *
 * @throws CimProtocolError when the document is not a well-formed, valid CIM-XML response.
 */
export function readCimReply(text: string | Uint8Array): CimReply {
  const r = parseCimResponse(text);
  const ret = r.returnValue;
  return {
    messageId: r.messageId,
    method: r.method,
    ...(r.error ? { error: r.error } : {}),
    instances: returnedElements(ret, 'INSTANCE').map((el) => readInstance(el)),
    instanceNames: returnedElements(ret, 'INSTANCENAME').map((el) => readInstanceName(el)),
    namedInstances: returnedElements(ret, 'VALUE.NAMEDINSTANCE').map((el) => readNamedInstance(el)),
  };
}
