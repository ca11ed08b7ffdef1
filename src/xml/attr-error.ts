import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/** libvirt's report of an attribute value it cannot read (virXMLProp*): `Invalid value for attribute ...`. */
export function invalidAttr(attr: string, element: string, value: string, expected = ''): VirError {
  return new VirError(
    ErrorCode.XML_ERROR,
    ErrorDomain.XML,
    `Invalid value for attribute '${attr}' in element '${element}': '${value}'.${expected}`,
  );
}

/** libvirt's report of a required attribute that is absent (virXMLPropEnum with VIR_XML_PROP_REQUIRED). */
export function missingAttr(attr: string, element: string): VirError {
  return new VirError(ErrorCode.XML_ERROR, ErrorDomain.XML, `Missing required attribute '${attr}' in element '${element}'`);
}
