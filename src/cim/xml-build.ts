/**
 * CIM-XML documents (DSP0201), built with xmlbuilder2: the server's responses and, for clients and tests, the
 * requests. xmlbuilder2 escapes every text and attribute value; a character XML cannot carry at all is refused
 * instead of written into a broken document.
 */
import { create } from 'xmlbuilder2';
import type { CimInstance, CimInstanceName, CimNamedInstance } from './model.js';
import type { CimError } from './status.js';

type XMLBuilder = ReturnType<typeof create>;

/** A character XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The versions virtune writes and accepts (CIM 2.x, DTD 2.x, protocol 1.x). */
export const CIM_VERSION = '2.0';
export const DTD_VERSION = '2.0';
export const PROTOCOL_VERSION = '1.0';

/** What an intrinsic method returns, in the shapes DSP0200 gives each operation. */
export type IMethodResult =
  | { readonly kind: 'namedInstances'; readonly items: readonly CimNamedInstance[] }
  | { readonly kind: 'instanceNames'; readonly items: readonly CimInstanceName[] }
  | { readonly kind: 'instance'; readonly instance: CimInstance }
  | { readonly kind: 'void' }
  | { readonly kind: 'error'; readonly error: CimError };

/** An intrinsic method's parameter, for building requests. */
export type IParam =
  | { readonly name: string; readonly className: string }
  | { readonly name: string; readonly instanceName: CimInstanceName }
  | { readonly name: string; readonly namedInstance: CimNamedInstance }
  | { readonly name: string; readonly boolean: boolean }
  | { readonly name: string; readonly strings: readonly string[] };

function appendInstanceName(parent: XMLBuilder, name: CimInstanceName): void {
  const el = parent.ele('INSTANCENAME', { CLASSNAME: name.className });
  for (const k of name.keys) el.ele('KEYBINDING', { NAME: k.name }).ele('KEYVALUE', { VALUETYPE: k.valueType }).txt(k.value);
}

function appendInstance(parent: XMLBuilder, inst: CimInstance): void {
  const el = parent.ele('INSTANCE', { CLASSNAME: inst.className });
  for (const p of inst.properties) {
    const prop = el.ele('PROPERTY', { NAME: p.name, TYPE: p.type });
    if (p.value !== null) prop.ele('VALUE').txt(p.value);
  }
}

function appendNamedInstance(parent: XMLBuilder, named: CimNamedInstance): void {
  const el = parent.ele('VALUE.NAMEDINSTANCE');
  appendInstanceName(el, named.name);
  appendInstance(el, named.instance);
}

/** The envelope: `<CIM><MESSAGE ID=…>`, its content added by `fill`. */
function message(id: string, fill: (msg: XMLBuilder) => void): string {
  const doc = create({ version: '1.0', encoding: 'utf-8' });
  const msg = doc
    .ele('CIM', { CIMVERSION: CIM_VERSION, DTDVERSION: DTD_VERSION })
    .ele('MESSAGE', { ID: id, PROTOCOLVERSION: PROTOCOL_VERSION });
  fill(msg);
  // Empty elements are written open-and-closed: wbemcli's parser does not take `<PROPERTY …/>` for a NULL value.
  // One scan of the result instead of xmlbuilder2's wellFormed option, which costs several times the build.
  const xml = doc.end({ prettyPrint: false, allowEmptyTags: true });
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) throw new Error(`U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML`);
  return xml;
}

/** The response to one intrinsic method call. */
export function buildIMethodResponse(id: string, method: string, result: IMethodResult): string {
  return message(id, (msg) => {
    const rsp = msg.ele('SIMPLERSP').ele('IMETHODRESPONSE', { NAME: method });
    switch (result.kind) {
      case 'error':
        rsp.ele('ERROR', { CODE: String(result.error.code), DESCRIPTION: result.error.description });
        return;
      case 'void':
        return;
      case 'instance':
        appendInstance(rsp.ele('IRETURNVALUE'), result.instance);
        return;
      case 'instanceNames': {
        const ret = rsp.ele('IRETURNVALUE');
        for (const n of result.items) appendInstanceName(ret, n);
        return;
      }
      case 'namedInstances': {
        const ret = rsp.ele('IRETURNVALUE');
        for (const n of result.items) appendNamedInstance(ret, n);
        return;
      }
    }
  });
}

/** A request for one intrinsic method in `namespace` (`root/virt`). */
export function buildIMethodCall(id: string, method: string, namespace: string, params: readonly IParam[]): string {
  return message(id, (msg) => {
    const call = msg.ele('SIMPLEREQ').ele('IMETHODCALL', { NAME: method });
    const path = call.ele('LOCALNAMESPACEPATH');
    for (const part of namespace.split('/')) path.ele('NAMESPACE', { NAME: part });
    for (const p of params) {
      const el = call.ele('IPARAMVALUE', { NAME: p.name });
      if ('className' in p) el.ele('CLASSNAME', { NAME: p.className });
      else if ('instanceName' in p) appendInstanceName(el, p.instanceName);
      else if ('namedInstance' in p) appendNamedInstance(el, p.namedInstance);
      else if ('boolean' in p) el.ele('VALUE').txt(p.boolean ? 'TRUE' : 'FALSE');
      else {
        const arr = el.ele('VALUE.ARRAY');
        for (const s of p.strings) arr.ele('VALUE').txt(s);
      }
    }
  });
}
