import { describe, expect, it } from 'vitest';
import { CimError, CimStatus } from '../../src/cim/status.js';
import { buildIMethodCall, buildIMethodResponse } from '../../src/cim/xml-build.js';
import { parseCimRequest, parseCimResponse, readInstance, readNamedInstance } from '../../src/cim/xml-parse.js';
import { memName } from './cim-http.js';

const inst = (value: string | null) => ({
  className: 'KVM_MemResourceAllocationSettingData',
  properties: [
    { name: 'InstanceID', type: 'string' as const, value: `a&b<c>"d'/mem` },
    { name: 'Limit', type: 'uint64' as const, value },
  ],
});

describe('CIM-XML documents built with xmlbuilder2', () => {
  it('escape text and attributes, and read back equal', () => {
    const error = new CimError(CimStatus.INVALID_PARAMETER, `bad "value" <&> 'here'`);
    const xml = buildIMethodResponse('m"1', 'ModifyInstance', { kind: 'error', error });
    expect(xml).toContain('DESCRIPTION="bad &quot;value&quot; &lt;&amp;&gt; \'here\'"');
    expect(parseCimResponse(xml)).toEqual({ messageId: 'm"1', method: 'ModifyInstance', error: { code: 4, description: error.description } });
    const got = buildIMethodResponse('1', 'GetInstance', { kind: 'instance', instance: inst('5') });
    expect(got).toContain('<VALUE>a&amp;b&lt;c&gt;"d\'/mem</VALUE>');
    expect(readInstance(parseCimResponse(got).returnValue!.childNodes()[0] as never)).toEqual(inst('5'));
  });

  it('write a NULL property and an empty result open and closed, as wbemcli needs', () => {
    expect(buildIMethodResponse('1', 'GetInstance', { kind: 'instance', instance: inst(null) })).toContain(
      '<PROPERTY NAME="Limit" TYPE="uint64"></PROPERTY>',
    );
    expect(buildIMethodResponse('1', 'EnumerateInstances', { kind: 'namedInstances', items: [] })).toContain('<IRETURNVALUE></IRETURNVALUE>');
    expect(buildIMethodResponse('1', 'ModifyInstance', { kind: 'void' })).toContain('<IMETHODRESPONSE NAME="ModifyInstance"></IMETHODRESPONSE>');
  });

  it('refuse characters XML cannot carry rather than write a broken document', () => {
    for (const bad of ['\u0001', '\uD800', '\uFFFE']) {
      expect(() => buildIMethodResponse('1', 'GetInstance', { kind: 'instance', instance: inst(bad) })).toThrow(/cannot be written in XML/);
    }
    expect(() => buildIMethodResponse('1', 'GetInstance', { kind: 'instance', instance: inst('😀 é 中') })).not.toThrow();
  });

  it('build requests the parser reads back (ModifyInstance with a PropertyList)', () => {
    const named = { name: memName(`a&b<c>"d'`), instance: inst('7') };
    const req = parseCimRequest(
      buildIMethodCall('3', 'ModifyInstance', 'root/virt', [
        { name: 'ModifiedInstance', namedInstance: named },
        { name: 'PropertyList', strings: ['Limit'] },
        { name: 'IncludeQualifiers', boolean: false },
      ]),
    );
    expect([req.messageId, req.method, req.namespace, [...req.params.keys()]]).toEqual([
      '3',
      'ModifyInstance',
      'root/virt',
      ['modifiedinstance', 'propertylist', 'includequalifiers'],
    ]);
    expect(readNamedInstance(req.params.get('modifiedinstance'))).toEqual(named);
  });
});
