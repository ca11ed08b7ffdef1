/**
 * One CIM-XML request in, one response out, independent of HTTP: the HTTP server hands over the body and the
 * CIM headers, and writes back what this returns. Errors of the operation are CIM errors in a 200 response;
 * errors of the message itself are DSP0200's HTTP errors (400/501 with a CIMError header).
 */
import type { Element } from 'libxmljs2';
import { cimErrorFrom } from './vir-to-cim.js';
import type { CimProvider } from './provider.js';
import { buildIMethodResponse, type IMethodResult } from './xml-build.js';
import {
  parseCimRequest,
  readBoolean,
  readClassName,
  readInstanceName,
  readNamedInstance,
  readPropertyList,
  type CimRequest,
} from './xml-parse.js';
import { CimError, CimProtocolError, CimStatus } from './status.js';

/** The CIM headers of a request (DSP0200). */
export interface CimHeaders {
  readonly cimOperation?: string;
  readonly cimMethod?: string;
  readonly cimObject?: string;
  readonly cimProtocolVersion?: string;
}

/** What to answer: an HTTP status, extra headers, and a body (a CIM-XML document or a short text). */
export interface CimReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The CIM status of the operation, when it ran (0 for success). */
  readonly cimStatus?: number;
}

// The parameters each operation takes (DSP0200), lower-cased; anything else is CIM_ERR_INVALID_PARAMETER.
const PARAMS: Readonly<Record<string, readonly string[]>> = {
  EnumerateInstances: ['classname', 'localonly', 'deepinheritance', 'includequalifiers', 'includeclassorigin', 'propertylist'],
  EnumerateInstanceNames: ['classname'],
  GetInstance: ['instancename', 'localonly', 'includequalifiers', 'includeclassorigin', 'propertylist'],
  ModifyInstance: ['modifiedinstance', 'includequalifiers', 'propertylist'],
};

/** The operations virtune serves, and how each reads its parameters. */
async function runOperation(provider: CimProvider, req: CimRequest): Promise<IMethodResult> {
  if (req.extrinsic) throw new CimError(CimStatus.METHOD_NOT_AVAILABLE, `virtune's classes have no method ${req.method}`);
  provider.checkNamespace(req.namespace);
  const known = PARAMS[req.method];
  if (!known) throw new CimError(CimStatus.NOT_SUPPORTED, `The operation ${req.method} is not supported by virtune's CIM server`);
  for (const name of req.params.keys()) {
    if (!known.includes(name)) throw new CimError(CimStatus.INVALID_PARAMETER, `${req.method} has no parameter '${name}'`);
  }
  const p = (name: string): Element | undefined => req.params.get(name);
  // Read (and so check) the flags even though every instance is served whole and without qualifiers.
  for (const flag of ['localonly', 'deepinheritance', 'includequalifiers', 'includeclassorigin']) {
    if (known.includes(flag)) readBoolean(p(flag), flag, false);
  }
  switch (req.method) {
    case 'EnumerateInstances':
      return { kind: 'namedInstances', items: await provider.enumerateInstances(readClassName(p('classname')), readPropertyList(p('propertylist'))) };
    case 'EnumerateInstanceNames':
      return { kind: 'instanceNames', items: await provider.enumerateInstanceNames(readClassName(p('classname'))) };
    case 'GetInstance':
      return { kind: 'instance', instance: await provider.getInstance(readInstanceName(p('instancename')), readPropertyList(p('propertylist'))) };
    default:
      await provider.modifyInstance(readNamedInstance(p('modifiedinstance')), readPropertyList(p('propertylist')));
      return { kind: 'void' };
  }
}

const XML_HEADERS = { 'Content-Type': 'application/xml; charset="utf-8"', CIMOperation: 'MethodResponse' };

/** An HTTP-level refusal (DSP0200): the status, the CIMError header and the reason as plain text. */
export function protocolReply(e: CimProtocolError): CimReply {
  const detail = e.detail.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 512);
  return {
    status: e.httpStatus,
    headers: { CIMError: e.cimError, CIMErrorDetails: detail, 'Content-Type': 'text/plain; charset=utf-8' },
    body: `${e.cimError}: ${e.detail}\n`,
  };
}

function checkHeaders(h: CimHeaders, req: CimRequest): void {
  const mismatch = (what: string): CimProtocolError => new CimProtocolError(400, 'header-mismatch', what);
  if (h.cimMethod !== undefined && h.cimMethod !== req.method) {
    throw mismatch(`CIMMethod header '${h.cimMethod}' does not name the method called (${req.method})`);
  }
  if (h.cimObject !== undefined && !req.extrinsic) {
    let object: string;
    try {
      object = decodeURIComponent(h.cimObject);
    } catch {
      throw mismatch(`CIMObject header '${h.cimObject}' is not a valid escaped string`);
    }
    if (object.toLowerCase() !== req.namespace.toLowerCase()) {
      throw mismatch(`CIMObject header '${object}' is not the namespace called (${req.namespace})`);
    }
  }
}

/** Answers one request body. Never throws: every failure becomes a CIM error or a DSP0200 HTTP error. */
export async function dispatchCimRequest(provider: CimProvider, body: string | Uint8Array, headers: CimHeaders): Promise<CimReply> {
  let req: CimRequest;
  try {
    if (headers.cimOperation === undefined || headers.cimOperation.toLowerCase() !== 'methodcall') {
      throw new CimProtocolError(400, 'unsupported-operation', 'the CIMOperation header must be MethodCall');
    }
    if (headers.cimProtocolVersion !== undefined && headers.cimProtocolVersion.trim().split('.')[0] !== '1') {
      throw new CimProtocolError(501, 'unsupported-protocol-version', `CIMProtocolVersion '${headers.cimProtocolVersion}' is not 1.x`);
    }
    req = parseCimRequest(body);
    checkHeaders(headers, req);
  } catch (e) {
    if (e instanceof CimProtocolError) return protocolReply(e);
    return protocolReply(new CimProtocolError(400, 'request-not-valid', e instanceof Error ? e.message : String(e)));
  }
  let result: IMethodResult;
  try {
    result = await runOperation(provider, req);
  } catch (e) {
    result = { kind: 'error', error: cimErrorFrom(e) };
  }
  let xml: string;
  try {
    xml = buildIMethodResponse(req.messageId, req.method, result);
  } catch (e) {
    // A value XML cannot carry (a control character in a name): say so rather than write a broken document.
    result = { kind: 'error', error: new CimError(CimStatus.FAILED, `The answer cannot be written as XML: ${(e as Error).message}`) };
    xml = buildIMethodResponse(req.messageId, req.method, result);
  }
  return { status: 200, headers: XML_HEADERS, body: xml, cimStatus: result.kind === 'error' ? result.error.code : 0 };
}
