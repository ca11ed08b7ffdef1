// virtune's CIM server: libvirt-cim's memory RASDs over CIM-XML (docs/cim.md).
export { CIM_NAMESPACE, memRasdClass, prefixForDriver, type ClassPrefix } from './classes.js';
export type { CimInstance, CimInstanceName, CimNamedInstance, CimProperty, CimType, CimKeyBinding } from './model.js';
export { CimStatus, CimError, CimProtocolError, cimStatusName } from './status.js';
export { memRasdInstance, memoryChangeFromRasd, memoryChangeParams, type MemorySettings, type MemoryChange } from './mem-rasd.js';
export { CimProvider, type ProviderOptions } from './provider.js';
export { buildIMethodCall, buildIMethodResponse, type IMethodResult, type IParam } from './xml-build.js';
export { readCimReply, type CimReply } from './reply.js';
export { startCimServer, DEFAULT_CIM_PORT, type CimServer, type CimServerOptions } from './http-server.js';
