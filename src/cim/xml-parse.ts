/**
 * Reading CIM-XML (DSP0201) with libxmljs2: a request is parsed safely (no DTD, no entities, no network: see
 * src/xml/document.ts), validated against schemas/cim-xml.rng, and its parameters read into virtune's model.
 * Responses are read the same way (clients and the round-trip tests use it).
 */
import type { Document, Element } from 'libxmljs2';
import { ErrorDomain, VirError } from '../errors.js';
import { parseDocument } from '../xml/document.js';
import { validateAgainst } from '../xml/validate.js';
import type { CimInstance, CimInstanceName, CimKeyValueType, CimNamedInstance, CimProperty, CimType } from './model.js';
import { isKnownValidShape, rememberValidShape, shapeKey } from './shape-cache.js';
import { CimError, CimProtocolError, CimStatus } from './status.js';

/** One intrinsic method call: its message id, name, namespace and parameters (by lower-case name). */
export interface CimRequest {
  readonly messageId: string;
  readonly method: string;
  readonly namespace: string;
  readonly params: ReadonlyMap<string, Element | undefined>;
  /** An extrinsic METHODCALL (virtune's classes have no methods). */
  readonly extrinsic: boolean;
}

/** A response: the error it carries, or its IRETURNVALUE element (absent for a void method). */
export interface CimResponse {
  readonly messageId: string;
  readonly method: string;
  readonly error?: { readonly code: number; readonly description: string };
  readonly returnValue?: Element;
}

const elements = (el: Element, name?: string): Element[] =>
  el.childNodes().filter((n): n is Element => n.type() === 'element' && (name === undefined || (n as Element).name() === name));
const attr = (el: Element, name: string): string | undefined => el.attr(name)?.value();
const child = (el: Element, name: string): Element | undefined => elements(el, name)[0];

/** A major version `2.x` (DSP0201's rule for CIMVERSION and DTDVERSION: the same major version is understood). */
const majorIs = (version: string | undefined, major: string): boolean => version !== undefined && version.split('.')[0] === major;

/** Parses and validates a CIM-XML document; HTTP-level errors as DSP0200 names them. */
function parseMessage(text: string | Uint8Array): Document {
  let doc: Document;
  try {
    doc = parseDocument(text, 'cim-xml', ErrorDomain.XML).doc;
  } catch (e) {
    throw new CimProtocolError(400, 'request-not-well-formed', e instanceof Error ? e.message : String(e));
  }
  const root = doc.root()!;
  if (root.name() !== 'CIM') throw new CimProtocolError(400, 'request-not-valid', `the root element is <${root.name()}>, not <CIM>`);
  if (!majorIs(attr(root, 'CIMVERSION'), '2')) {
    throw new CimProtocolError(501, 'unsupported-cim-version', `CIMVERSION '${attr(root, 'CIMVERSION') ?? ''}' is not 2.x`);
  }
  if (!majorIs(attr(root, 'DTDVERSION'), '2')) {
    throw new CimProtocolError(501, 'unsupported-dtd-version', `DTDVERSION '${attr(root, 'DTDVERSION') ?? ''}' is not 2.x`);
  }
  const msg = child(root, 'MESSAGE');
  if (msg && !majorIs(attr(msg, 'PROTOCOLVERSION'), '1')) {
    throw new CimProtocolError(501, 'unsupported-protocol-version', `PROTOCOLVERSION '${attr(msg, 'PROTOCOLVERSION') ?? ''}' is not 1.x`);
  }
  if (msg && child(msg, 'MULTIREQ')) throw new CimProtocolError(501, 'multiple-requests-unsupported', 'MULTIREQ is not supported');
  const shape = shapeKey(root);
  if (isKnownValidShape(shape)) return doc;
  try {
    validateAgainst(doc, 'cim-xml');
  } catch (e) {
    if (!(e instanceof VirError)) throw e;
    throw new CimProtocolError(400, 'request-not-valid', e.message.replace(/^[^\n]*\n/, ''));
  }
  rememberValidShape(shape);
  return doc;
}

/** Reads a request (the server's side). */
export function parseCimRequest(text: string | Uint8Array): CimRequest {
  const msg = child(parseMessage(text).root()!, 'MESSAGE')!;
  const req = child(msg, 'SIMPLEREQ');
  if (!req) throw new CimProtocolError(400, 'request-not-valid', 'the message is not a SIMPLEREQ');
  const messageId = attr(msg, 'ID')!;
  const extrinsic = child(req, 'METHODCALL');
  if (extrinsic) return { messageId, method: attr(extrinsic, 'NAME') ?? '', namespace: '', params: new Map(), extrinsic: true };
  const call = child(req, 'IMETHODCALL')!;
  const namespace = elements(child(call, 'LOCALNAMESPACEPATH')!, 'NAMESPACE')
    .map((n) => attr(n, 'NAME')!)
    .join('/');
  const params = new Map<string, Element | undefined>();
  for (const p of elements(call, 'IPARAMVALUE')) {
    const name = attr(p, 'NAME')!.toLowerCase();
    if (params.has(name)) throw new CimProtocolError(400, 'request-not-valid', `parameter ${attr(p, 'NAME')} is given twice`);
    params.set(name, elements(p)[0]);
  }
  return { messageId, method: attr(call, 'NAME')!, namespace, params, extrinsic: false };
}

/** Reads a response (a client's side). */
export function parseCimResponse(text: string | Uint8Array): CimResponse {
  const msg = child(parseMessage(text).root()!, 'MESSAGE')!;
  const rsp = child(msg, 'SIMPLERSP');
  if (!rsp) throw new CimProtocolError(400, 'request-not-valid', 'the message is not a SIMPLERSP');
  const im = child(rsp, 'IMETHODRESPONSE')!;
  const err = child(im, 'ERROR');
  const base = { messageId: attr(msg, 'ID')!, method: attr(im, 'NAME')! };
  if (err) return { ...base, error: { code: Number(attr(err, 'CODE')), description: attr(err, 'DESCRIPTION') ?? '' } };
  const ret = child(im, 'IRETURNVALUE');
  return ret ? { ...base, returnValue: ret } : base;
}

const invalid = (what: string): CimError => new CimError(CimStatus.INVALID_PARAMETER, what);

/** A parameter that must be present and be a `name` element. */
function required(el: Element | undefined, param: string, name: string): Element {
  if (!el || el.name() !== name) throw invalid(`Parameter ${param} must be a ${name}`);
  return el;
}

/** The ClassName parameter (`<CLASSNAME NAME=…/>`). */
export function readClassName(el: Element | undefined, param = 'ClassName'): string {
  return attr(required(el, param, 'CLASSNAME'), 'NAME')!;
}

/** A boolean parameter (`<VALUE>TRUE</VALUE>`); `fallback` when absent (DSP0200 gives each a default). */
export function readBoolean(el: Element | undefined, param: string, fallback: boolean): boolean {
  if (el === undefined) return fallback;
  const text = required(el, param, 'VALUE').text().trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalid(`Parameter ${param} must be TRUE or FALSE, not '${text}'`);
}

/** A PropertyList parameter: the names, or undefined for NULL (all properties). */
export function readPropertyList(el: Element | undefined): string[] | undefined {
  if (el === undefined) return undefined;
  return elements(required(el, 'PropertyList', 'VALUE.ARRAY'), 'VALUE').map((v) => v.text());
}

export function readInstanceName(el: Element | undefined, param = 'InstanceName'): CimInstanceName {
  const name = required(el, param, 'INSTANCENAME');
  const keys = elements(name, 'KEYBINDING').map((kb) => {
    const kv = child(kb, 'KEYVALUE');
    if (!kv) throw new CimError(CimStatus.NOT_SUPPORTED, `Key ${attr(kb, 'NAME')}: reference keys are not supported`);
    return { name: attr(kb, 'NAME')!, value: kv.text(), valueType: (attr(kv, 'VALUETYPE') ?? 'string') as CimKeyValueType };
  });
  if (keys.length === 0) throw invalid(`${param} has no KEYBINDING`);
  return { className: attr(name, 'CLASSNAME')!, keys };
}

export function readInstance(el: Element | undefined, param = 'Instance'): CimInstance {
  const inst = required(el, param, 'INSTANCE');
  const properties: CimProperty[] = [];
  for (const p of elements(inst)) {
    if (p.name() === 'QUALIFIER') continue;
    const name = attr(p, 'NAME') ?? '';
    if (p.name() !== 'PROPERTY') throw new CimError(CimStatus.TYPE_MISMATCH, `Property ${name}: arrays and references are not supported`);
    const value = child(p, 'VALUE');
    properties.push({ name, type: attr(p, 'TYPE') as CimType, value: value ? value.text() : null });
  }
  return { className: attr(inst, 'CLASSNAME')!, properties };
}

export function readNamedInstance(el: Element | undefined, param = 'ModifiedInstance'): CimNamedInstance {
  const named = required(el, param, 'VALUE.NAMEDINSTANCE');
  return { name: readInstanceName(child(named, 'INSTANCENAME'), param), instance: readInstance(child(named, 'INSTANCE'), param) };
}

/** The children of an IRETURNVALUE named `name` (a client reading a list). */
export function returnedElements(ret: Element | undefined, name: string): Element[] {
  return ret ? elements(ret, name) : [];
}
