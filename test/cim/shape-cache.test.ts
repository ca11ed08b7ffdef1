import libxml from 'libxmljs2';
import { describe, expect, it } from 'vitest';
import { shapeKey } from '../../src/cim/shape-cache.js';
import { CimProtocolError } from '../../src/cim/status.js';
import { buildIMethodCall } from '../../src/cim/xml-build.js';
import { parseCimRequest } from '../../src/cim/xml-parse.js';
import { memName } from './cim-http.js';

const key = (xml: string): string => shapeKey(libxml.parseXml(xml).root()!);
const request = (domain: string, limit: string) =>
  buildIMethodCall('1', 'ModifyInstance', 'root/virt', [
    {
      name: 'ModifiedInstance',
      namedInstance: {
        name: memName(domain),
        instance: { className: 'KVM_MemResourceAllocationSettingData', properties: [{ name: 'Limit', type: 'uint64', value: limit }] },
      },
    },
  ]);

describe('the shape of a CIM-XML document', () => {
  it('is the same for other values, and differs where the schema looks', () => {
    expect(key(request('a', '1'))).toBe(key(request('other', '123456')));
    expect(key(request('a', '1'))).not.toBe(key(request('a', '1').replace('TYPE="uint64"', 'TYPE="uint32"')));
    expect(key(request('a', '1'))).not.toBe(key(request('a', '1').replace('<VALUE>1</VALUE>', '<VALUE>1</VALUE><VALUE>2</VALUE>')));
    expect(key('<A><B/></A>')).not.toBe(key('<A>text<B/></A>'));
    expect(key('<A> <B/></A>')).toBe(key('<A><B/></A>'));
    expect(key('<A x="1"/>')).not.toBe(key('<A y="1"/>'));
  });

  it('lets a known shape skip the schema, but not a constrained value it has not seen', () => {
    expect(parseCimRequest(request('a', '1')).method).toBe('ModifyInstance');
    expect(parseCimRequest(request('b', '2')).method).toBe('ModifyInstance');
    const badType = request('a', '1').replace('TYPE="uint64"', 'TYPE="uint65"');
    expect(() => parseCimRequest(badType)).toThrow(CimProtocolError);
    const badValueType = request('a', '1').replace('VALUETYPE="string"', 'VALUETYPE="text"');
    expect(() => parseCimRequest(badValueType)).toThrow(/request-not-valid/);
  });
});
