// virtune's CIM server: libvirt-cim's memory RASDs over CIM-XML (docs/cim.md). Functions go out through
// publicEntry: given anything, they return or throw a VirError — or this subpath's own CIM errors (CimError,
// CimProtocolError: DSP0200's error model, which the server answers with), which pass through unchanged.
import { publicEntry } from '../error-guard.js';
import * as classes from './classes.js';
import * as status from './status.js';
import * as rasd from './mem-rasd.js';
import * as build from './xml-build.js';
import * as reply from './reply.js';
import * as server from './http-server.js';
import { isCimError } from './status.js';

export { CIM_NAMESPACE, type ClassPrefix } from './classes.js';
export type { CimInstance, CimInstanceName, CimNamedInstance, CimProperty, CimType, CimKeyBinding } from './model.js';
export { CimStatus, CimError, CimProtocolError } from './status.js';
export type { MemorySettings, MemoryChange } from './mem-rasd.js';
export { CimProvider, type ProviderOptions } from './provider.js';
export type { IMethodResult, IParam } from './xml-build.js';
export type { CimReply } from './reply.js';
export { DEFAULT_CIM_PORT, type CimServer, type CimServerOptions } from './http-server.js';

/** {@inheritDoc classes.memRasdClass} */
export const memRasdClass = publicEntry(classes.memRasdClass, isCimError);
/** {@inheritDoc classes.prefixForDriver} */
export const prefixForDriver = publicEntry(classes.prefixForDriver, isCimError);
/** {@inheritDoc status.cimStatusName} */
export const cimStatusName = publicEntry(status.cimStatusName, isCimError);
/** {@inheritDoc rasd.memRasdInstance} */
export const memRasdInstance = publicEntry(rasd.memRasdInstance, isCimError);
/** {@inheritDoc rasd.memoryChangeFromRasd} */
export const memoryChangeFromRasd = publicEntry(rasd.memoryChangeFromRasd, isCimError);
/** {@inheritDoc rasd.memoryChangeParams} */
export const memoryChangeParams = publicEntry(rasd.memoryChangeParams, isCimError);
/** {@inheritDoc build.buildIMethodCall} */
export const buildIMethodCall = publicEntry(build.buildIMethodCall, isCimError);
/** {@inheritDoc build.buildIMethodResponse} */
export const buildIMethodResponse = publicEntry(build.buildIMethodResponse, isCimError);
/** {@inheritDoc reply.readCimReply} */
export const readCimReply = publicEntry(reply.readCimReply, isCimError);
/** {@inheritDoc server.startCimServer} */
export const startCimServer = publicEntry(server.startCimServer, isCimError);
