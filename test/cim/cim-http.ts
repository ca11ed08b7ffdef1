import { connect } from 'node:net';
import { buildIMethodCall, type IParam } from '../../src/cim/xml-build.js';
import type { CimInstanceName } from '../../src/cim/model.js';

/** What an HTTP exchange gave back. */
export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * POSTs `body` to the server's /cimom with the CIM headers of `method` (overridable, or removable with undefined),
 * on a connection of its own, as wbemcli does: a kept-alive socket that sat idle for the server's keep-alive timeout
 * (5 s) while the loaded test worker stalled is closed by the server just as fetch reuses it, and every request sent
 * on such sockets fails with ECONNRESET (seen under load: 8 concurrent requests, 8 resets).
 */
export async function postCim(url: string, method: string, body: string | Uint8Array, headers: Record<string, string | undefined> = {}): Promise<HttpReply> {
  const all: Record<string, string | undefined> = {
    Connection: 'close',
    'Content-Type': 'application/xml; charset="utf-8"',
    CIMOperation: 'MethodCall',
    CIMMethod: method,
    CIMObject: 'root%2Fvirt',
    CIMProtocolVersion: '1.0',
    ...headers,
  };
  const res = await fetch(`${url}/cimom`, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined)),
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Builds and POSTs an intrinsic call. */
export function callCim(url: string, method: string, params: IParam[], namespace = 'root/virt'): Promise<HttpReply> {
  return postCim(url, method, buildIMethodCall('42', method, namespace, params), { CIMObject: encodeURIComponent(namespace) });
}

/** Sends raw bytes on a TCP connection and resolves with everything the server writes before it closes. */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('the server did not close the connection'));
    }, timeoutMs);
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    sock.write(bytes);
  });
}

export const memName = (domain: string, prefix = 'KVM'): CimInstanceName => ({
  className: `${prefix}_MemResourceAllocationSettingData`,
  keys: [{ name: 'InstanceID', value: `${domain}/mem`, valueType: 'string' }],
});
