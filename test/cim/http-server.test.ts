import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCimServer, type CimServer } from '../../src/cim/http-server.js';
import type { CimInstance, CimNamedInstance } from '../../src/cim/model.js';
import { CimStatus } from '../../src/cim/status.js';
import { buildIMethodCall } from '../../src/cim/xml-build.js';
import { parseCimResponse, readInstance, readInstanceName, returnedElements } from '../../src/cim/xml-parse.js';
import { openConnection, type Connection } from '../../src/connection/connection.js';
import { UNLIMITED } from '../../src/memory/params.js';
import { typedParamsToRecord } from '../../src/typed-params/helpers.js';
import { callCim, memName, postCim, rawExchange, type HttpReply } from './cim-http.js';

/**
 * The CIM server in this process on test:///default, spoken to over real HTTP on 127.0.0.1: what it answers
 * for good requests, and that every malformed one gets a CIM error or DSP0200's HTTP error, changes nothing and
 * leaves the server answering.
 */

const ODD = `odd&<"'> é`;
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const CLASS = 'KVM_MemResourceAllocationSettingData';

let conn: Connection;
let rw: CimServer;
let ro: CimServer;

beforeAll(async () => {
  conn = await openConnection('test:///default');
  await conn.defineDomainXML(`<domain type='test'><name>${esc(ODD)}</name><memory>524288</memory><os><type>hvm</type></os></domain>`);
  rw = await startCimServer(conn, { port: 0, readWrite: true, maxBodyBytes: 64 * 1024 });
  ro = await startCimServer(conn, { port: 0 });
});
afterAll(async () => {
  await rw?.close();
  await ro?.close();
  await conn?.close();
});

const memtune = async (domain = 'test') => typedParamsToRecord(await (await conn.lookupDomainByName(domain)).getMemoryParameters());
/** The CIM error of a 200 response (undefined when it succeeded). */
function cimError(r: HttpReply): { code: number; description: string } | undefined {
  expect(r.status, r.text).toBe(200);
  expect(r.headers.get('cimoperation')).toBe('MethodResponse');
  return parseCimResponse(r.text).error;
}
function instances(r: HttpReply): CimNamedInstance[] {
  expect(cimError(r)).toBeUndefined();
  return returnedElements(parseCimResponse(r.text).returnValue, 'VALUE.NAMEDINSTANCE').map((el) => ({
    name: readInstanceName(returnedElements(el, 'INSTANCENAME')[0]),
    instance: readInstance(returnedElements(el, 'INSTANCE')[0]),
  }));
}
const prop = (inst: CimInstance, name: string) => inst.properties.find((p) => p.name === name)?.value;
const enumerate = (url: string, className = CLASS, propertyList?: string[]) =>
  callCim(url, 'EnumerateInstances', [{ name: 'ClassName', className }, ...(propertyList ? [{ name: 'PropertyList', strings: propertyList }] : [])]);
const getInstance = (url: string, domain: string) => callCim(url, 'GetInstance', [{ name: 'InstanceName', instanceName: memName(domain) }]);
async function current(domain: string): Promise<CimInstance> {
  const r = await getInstance(rw.url, domain);
  expect(cimError(r)).toBeUndefined();
  return readInstance(parseCimResponse(r.text).returnValue!.childNodes()[0] as never);
}
function modified(inst: CimInstance, values: Record<string, string | null>): CimInstance {
  return { ...inst, properties: inst.properties.map((p) => (p.name in values ? { ...p, value: values[p.name]! } : p)) };
}
const modify = (url: string, domain: string, instance: CimInstance, propertyList?: string[]) =>
  callCim(url, 'ModifyInstance', [
    { name: 'ModifiedInstance', namedInstance: { name: memName(domain), instance } },
    ...(propertyList ? [{ name: 'PropertyList', strings: propertyList }] : []),
  ]);

describe('CIM server: the operations', () => {
  it("EnumerateInstances lists every domain's memory RASD with its values", async () => {
    const list = instances(await enumerate(rw.url));
    expect(list.map((n) => n.name.keys[0]!.value).sort()).toEqual([`${ODD}/mem`, 'test/mem']);
    const test = list.find((n) => n.name.keys[0]!.value === 'test/mem')!.instance;
    const info = await (await conn.lookupDomainByName('test')).getInfo();
    expect(prop(test, 'VirtualQuantity')).toBe(String(info.maxMem));
    expect(prop(test, 'AllocationUnits')).toBe('KiloBytes');
    expect(prop(test, 'ResourceType')).toBe('4');
    expect(test.className).toBe(CLASS);
  });

  it('serves the parent classes, nothing under the other prefix, and filters by PropertyList', async () => {
    expect(instances(await enumerate(rw.url, 'CIM_ResourceAllocationSettingData'))).toHaveLength(2);
    expect(instances(await enumerate(rw.url, 'KVM_ResourceAllocationSettingData'))).toHaveLength(2);
    expect(instances(await enumerate(rw.url, 'LXC_MemResourceAllocationSettingData'))).toEqual([]);
    const [one] = instances(await enumerate(rw.url, CLASS, ['Limit', 'virtualquantity']));
    expect(one!.instance.properties.map((p) => p.name)).toEqual(['VirtualQuantity', 'Limit']);
  });

  it('EnumerateInstanceNames and GetInstance name and find the same instances', async () => {
    const r = await callCim(rw.url, 'EnumerateInstanceNames', [{ name: 'ClassName', className: CLASS }]);
    expect(cimError(r)).toBeUndefined();
    const names = returnedElements(parseCimResponse(r.text).returnValue, 'INSTANCENAME').map((el) => readInstanceName(el));
    expect(names).toContainEqual(memName(ODD));
    expect(prop(await current(ODD), 'VirtualQuantity')).toBe('524288');
  });

  it('GetInstance of what does not exist is CIM_ERR_NOT_FOUND', async () => {
    for (const domain of ['nosuch', '']) expect(cimError(await getInstance(rw.url, domain))?.code).toBe(CimStatus.NOT_FOUND);
    const proc = { className: CLASS, keys: [{ name: 'InstanceID', value: 'test/proc', valueType: 'string' as const }] };
    expect(cimError(await callCim(rw.url, 'GetInstance', [{ name: 'InstanceName', instanceName: proc }]))?.code).toBe(CimStatus.NOT_FOUND);
    const lxc = memName('test', 'LXC');
    expect(cimError(await callCim(rw.url, 'GetInstance', [{ name: 'InstanceName', instanceName: lxc }]))?.code).toBe(CimStatus.NOT_FOUND);
    const extraKey = { ...memName('test'), keys: [...memName('test').keys, { name: 'Foo', value: '1', valueType: 'string' as const }] };
    expect(cimError(await callCim(rw.url, 'GetInstance', [{ name: 'InstanceName', instanceName: extraKey }]))?.code).toBe(
      CimStatus.INVALID_PARAMETER,
    );
  });

  it('ModifyInstance of Limit is a memtune hard_limit change; a NULL Limit removes it', async () => {
    const inst = await current('test');
    expect(cimError(await modify(rw.url, 'test', modified(inst, { Limit: '524288' })))).toBeUndefined();
    expect((await memtune()).hard_limit).toBe(524288n);
    expect(prop(await current('test'), 'Limit')).toBe('524288');
    expect(cimError(await modify(rw.url, 'test', modified(inst, { Limit: null })))).toBeUndefined();
    expect((await memtune()).hard_limit).toBe(BigInt(UNLIMITED));
  });

  it('serves concurrent ModifyInstance calls one at a time; the last one applied is what GetInstance shows', async () => {
    const inst = await current('test');
    const limits = Array.from({ length: 12 }, (_, i) => String((i + 1) * 65536));
    const replies = await Promise.all(limits.map((l) => modify(rw.url, 'test', modified(inst, { Limit: l }))));
    for (const r of replies) expect(cimError(r)).toBeUndefined();
    const hard = (await memtune()).hard_limit;
    expect(limits).toContain(String(hard));
    expect(prop(await current('test'), 'Limit')).toBe(String(hard));
    expect(cimError(await modify(rw.url, 'test', modified(inst, { Limit: null })))).toBeUndefined();
  });

  it('a read-only server refuses ModifyInstance with CIM_ERR_ACCESS_DENIED and changes nothing', async () => {
    const before = await memtune();
    const err = cimError(await modify(ro.url, 'test', modified(await current('test'), { Limit: '1024' })));
    expect(err).toEqual({ code: CimStatus.ACCESS_DENIED, description: expect.stringMatching(/read-only.*--read-write/) });
    expect(await memtune()).toEqual(before);
    // Reading still works there.
    expect(instances(await enumerate(ro.url))).toHaveLength(2);
  });
});

describe('CIM server: bad requests are CIM errors and change nothing', () => {
  it("refuses bad modifications with the mapping's or virtune's error, all or nothing", async () => {
    const dom = await conn.lookupDomainByName('test');
    await dom.setMemoryParameters([
      { field: 'hard_limit', type: 4, value: 524288n },
      { field: 'swap_hard_limit', type: 4, value: 1048576n },
    ]);
    const inst = await current('test');
    const cases: Array<[Record<string, string | null>, CimStatus, RegExp]> = [
      [{ Limit: 'abc' }, CimStatus.INVALID_PARAMETER, /'abc' is not a uint64/],
      [{ Limit: '-1' }, CimStatus.INVALID_PARAMETER, /not a uint64/],
      [{ Limit: '9007199254740992' }, CimStatus.INVALID_PARAMETER, /VIR_ERR_INVALID_ARG/],
      [{ Limit: '99999999999999999999' }, CimStatus.INVALID_PARAMETER, /out of range for uint64/],
      // hard above swap: virtune's cross-check, and the Reservation change in the same call is not applied.
      [{ Limit: '2097152', Reservation: '4096' }, CimStatus.INVALID_PARAMETER, /hard_limit tunable value must be lower than or equal to swap_hard_limit/],
      [{ Weight: '100' }, CimStatus.NOT_SUPPORTED, /Weight cannot be expressed/],
      [{ VirtualQuantity: '1' }, CimStatus.NOT_SUPPORTED, /VirtualQuantity/],
      [{ AllocationUnits: 'parsecs' }, CimStatus.INVALID_PARAMETER, /AllocationUnits 'parsecs'/],
      [{ ResourceType: '3' }, CimStatus.INVALID_PARAMETER, /ResourceType/],
    ];
    const before = await memtune();
    for (const [values, code, message] of cases) {
      const err = cimError(await modify(rw.url, 'test', modified(inst, values)));
      expect(err, JSON.stringify(values)).toEqual({ code, description: expect.stringMatching(message) });
      expect(await memtune(), JSON.stringify(values)).toEqual(before);
    }
    const unknown = { ...inst, properties: [...inst.properties, { name: 'SoftLimit', type: 'uint64' as const, value: '1' }] };
    expect(cimError(await modify(rw.url, 'test', unknown))?.code).toBe(CimStatus.NO_SUCH_PROPERTY);
    const typed = { ...inst, properties: inst.properties.map((p) => (p.name === 'Limit' ? { ...p, type: 'uint32' as const, value: '5' } : p)) };
    expect(cimError(await modify(rw.url, 'test', typed))?.code).toBe(CimStatus.TYPE_MISMATCH);
    expect(cimError(await modify(rw.url, 'nosuch', modified(inst, { InstanceID: 'nosuch/mem' })))?.code).toBe(CimStatus.NOT_FOUND);
    expect(cimError(await modify(rw.url, ODD, inst))?.code).toBe(CimStatus.INVALID_PARAMETER); // InstanceID is test's
    expect(await memtune()).toEqual(before);
    await dom.setMemoryParameters([
      { field: 'swap_hard_limit', type: 4, value: BigInt(UNLIMITED) },
      { field: 'hard_limit', type: 4, value: BigInt(UNLIMITED) },
    ]);
  });

  it('wrong namespace, unknown class, the processor RASD, unknown operations and parameters', async () => {
    const cls = [{ name: 'ClassName', className: CLASS }];
    const cases: Array<[Promise<HttpReply>, CimStatus]> = [
      [callCim(rw.url, 'EnumerateInstances', cls, 'root/cimv2'), CimStatus.INVALID_NAMESPACE],
      [callCim(rw.url, 'EnumerateInstances', cls, 'virt'), CimStatus.INVALID_NAMESPACE],
      [enumerate(rw.url, 'CIM_ComputerSystem'), CimStatus.INVALID_CLASS],
      [enumerate(rw.url, 'KVM_ProcResourceAllocationSettingData'), CimStatus.NOT_SUPPORTED],
      [callCim(rw.url, 'DeleteInstance', [{ name: 'InstanceName', instanceName: memName('test') }]), CimStatus.NOT_SUPPORTED],
      [callCim(rw.url, 'EnumerateInstances', [...cls, { name: 'Bogus', boolean: true }]), CimStatus.INVALID_PARAMETER],
      [callCim(rw.url, 'EnumerateInstances', []), CimStatus.INVALID_PARAMETER],
      [callCim(rw.url, 'GetInstance', [{ name: 'InstanceName', className: CLASS }]), CimStatus.INVALID_PARAMETER],
    ];
    // All awaited together: one failed request must not leave the others' rejections unhandled.
    const replies = await Promise.all(cases.map(([reply]) => reply));
    replies.forEach((r, i) => expect(cimError(r)?.code, r.text).toBe(cases[i]![1]));
    const badBool = buildIMethodCall('1', 'EnumerateInstances', 'root/virt', cls).replace(
      '</IMETHODCALL>',
      '<IPARAMVALUE NAME="LocalOnly"><VALUE>maybe</VALUE></IPARAMVALUE></IMETHODCALL>',
    );
    expect(cimError(await postCim(rw.url, 'EnumerateInstances', badBool))?.code).toBe(CimStatus.INVALID_PARAMETER);
    const extrinsic = `<?xml version="1.0"?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="7" PROTOCOLVERSION="1.0"><SIMPLEREQ><METHODCALL NAME="RequestStateChange"><LOCALINSTANCEPATH/></METHODCALL></SIMPLEREQ></MESSAGE></CIM>`;
    expect(cimError(await postCim(rw.url, 'RequestStateChange', extrinsic))?.code).toBe(CimStatus.METHOD_NOT_AVAILABLE);
  });
});

describe("CIM server: malformed messages get DSP0200's HTTP errors, never a crash", () => {
  const good = buildIMethodCall('1', 'EnumerateInstances', 'root/virt', [{ name: 'ClassName', className: CLASS }]);
  const expectHttpError = (r: HttpReply, status: number, cimErrorHeader: string): void => {
    expect([r.status, r.headers.get('cimerror')], r.text).toEqual([status, cimErrorHeader]);
  };

  it('answers each malformed document with its CIMError header', async () => {
    const env = (inner: string, cim = '2.0', dtd = '2.0', proto = '1.0') =>
      `<?xml version="1.0"?><CIM CIMVERSION="${cim}" DTDVERSION="${dtd}"><MESSAGE ID="1" PROTOCOLVERSION="${proto}">${inner}</MESSAGE></CIM>`;
    const bomb = `<?xml version="1.0"?><!DOCTYPE CIM [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><CIM>&b;</CIM>`;
    const cases: Array<[string | Uint8Array, number, string]> = [
      ['', 400, 'request-not-well-formed'],
      ['<CIM><MESSAGE>', 400, 'request-not-well-formed'],
      [bomb, 400, 'request-not-well-formed'],
      [new Uint8Array([0x3c, 0x43, 0xff, 0xfe]), 400, 'request-not-well-formed'],
      ['<?xml version="1.0"?><html/>', 400, 'request-not-valid'],
      [env('<SIMPLEREQ><IMETHODCALL NAME="EnumerateInstances"/></SIMPLEREQ>'), 400, 'request-not-valid'],
      [good.replace('<CLASSNAME', '<CLASSNAME EXTRA="1"'), 400, 'request-not-valid'],
      [good.replace('CIMVERSION="2.0"', 'CIMVERSION="3.0"'), 501, 'unsupported-cim-version'],
      [good.replace('DTDVERSION="2.0"', 'DTDVERSION="1.1"'), 501, 'unsupported-dtd-version'],
      [good.replace('PROTOCOLVERSION="1.0"', 'PROTOCOLVERSION="2.0"'), 501, 'unsupported-protocol-version'],
      [env('<MULTIREQ><SIMPLEREQ/><SIMPLEREQ/></MULTIREQ>'), 501, 'multiple-requests-unsupported'],
      [good.replace('</IMETHODCALL>', '<IPARAMVALUE NAME="classname"><CLASSNAME NAME="X"/></IPARAMVALUE></IMETHODCALL>'), 400, 'request-not-valid'],
    ];
    for (const [body, status, header] of cases) expectHttpError(await postCim(rw.url, 'EnumerateInstances', body), status, header);
  });

  it('checks the CIM headers against the message', async () => {
    expectHttpError(await postCim(rw.url, 'GetInstance', good), 400, 'header-mismatch');
    expectHttpError(await postCim(rw.url, 'EnumerateInstances', good, { CIMObject: 'root%2Fcimv2' }), 400, 'header-mismatch');
    expectHttpError(await postCim(rw.url, 'EnumerateInstances', good, { CIMObject: '%E0%A4%A' }), 400, 'header-mismatch');
    expectHttpError(await postCim(rw.url, 'EnumerateInstances', good, { CIMOperation: undefined }), 400, 'unsupported-operation');
    expectHttpError(await postCim(rw.url, 'EnumerateInstances', good, { CIMProtocolVersion: '2.0' }), 501, 'unsupported-protocol-version');
    expect((await fetch(`${rw.url}/cimom`, { headers: { Connection: 'close' } })).status).toBe(405);
    // M-POST is not served: 501 tells a DSP0200 client to fall back to POST.
    const mpost = `M-POST /cimom HTTP/1.1\r\nHost: x\r\nMan: http://www.dmtf.org/cim/mapping/http/v1.0 ; ns=73\r\n73-CIMOperation: MethodCall\r\nContent-Length: ${good.length}\r\n\r\n${good}`;
    expect(await rawExchange(rw.address.port, mpost)).toMatch(/^HTTP\/1\.1 501 /);
  });

  it('refuses a huge body with 413 without reading it, declared or streamed', async () => {
    const huge = good.replace('</IMETHODCALL>', `<!--${'x'.repeat(200 * 1024)}--></IMETHODCALL>`);
    expectHttpError(await postCim(rw.url, 'EnumerateInstances', huge), 413, 'request-not-valid');
    const streamed = await rawExchange(
      rw.address.port,
      `POST /cimom HTTP/1.1\r\nHost: x\r\nCIMOperation: MethodCall\r\nCIMMethod: EnumerateInstances\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `${(100 * 1024).toString(16)}\r\n${'x'.repeat(100 * 1024)}\r\n`,
    );
    expect(streamed).toMatch(/^HTTP\/1\.1 413 /);
    const declared = await rawExchange(rw.address.port, `POST /cimom HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n`);
    expect(declared).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('a log callback that throws loses its line, never the server (nor the process, from an event handler)', async () => {
    let calls = 0;
    const loud = await startCimServer(conn, { port: 0, log: () => { calls++; throw new RangeError('logger down'); } });
    try {
      // Bad HTTP is logged from the server's clientError handler: a throw there would be an uncaught exception.
      expect(await rawExchange(loud.address.port, 'POST /cimom HTTP/1.1\r\nContent-Length: abc\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
      expect(instances(await enumerate(loud.url))).toHaveLength(2);
      expect(calls).toBe(2);
    } finally {
      await loud.close();
    }
  });

  it('answers bad HTTP with 400 and goes on serving', async () => {
    for (const garbage of ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', 'POST /cimom HTTP/1.1\r\nContent-Length: abc\r\n\r\n', `GET / HTTP/1.1\r\n${'X: y\r\n'.repeat(4000)}\r\n`]) {
      expect(await rawExchange(rw.address.port, garbage)).toMatch(/^HTTP\/1\.1 (400|431) /);
    }
    const r = await Promise.all(Array.from({ length: 20 }, () => enumerate(rw.url)));
    for (const one of r) expect(instances(one)).toHaveLength(2);
  });
});
