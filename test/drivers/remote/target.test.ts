import { describe, expect, it } from 'vitest';
import { parseURI } from '../../../src/connection/uri.js';
import { daemonURI, defaultSocket, remoteTarget, SYSTEM_SOCKET } from '../../../src/drivers/remote/target.js';
import { ErrorCode } from '../../../src/errors.js';

const target = (u: string) => remoteTarget(parseURI(u));

describe('remote URIs', () => {
  it('send the daemon the URI without transport, host and transport parameters', () => {
    expect(daemonURI(parseURI('test+unix:///default?socket=/s&call_timeout=5'))).toBe('test:///default');
    expect(daemonURI(parseURI('qemu+ssh://u@h:22/system?keyfile=/k&no_verify=1&extra=x'))).toBe('qemu:///system?extra=x');
    expect(daemonURI(parseURI('qemu+tcp://h/system?name=qemu:///session'))).toBe('qemu:///session');
  });

  it('pick the transport, host, port and socket as libvirt does', () => {
    expect(target('test+unix:///default?socket=/tmp/s')).toEqual({ transport: 'unix', socket: '/tmp/s', name: 'test:///default' });
    expect(target('qemu+tcp://10.0.0.5/system')).toMatchObject({ transport: 'tcp', host: '10.0.0.5', port: 16509 });
    expect(target('qemu+tcp://[::1]:1234/system')).toMatchObject({ transport: 'tcp', host: '::1', port: 1234 });
    expect(target('qemu+ssh://admin@h:2222/system?keyfile=/k')).toMatchObject({
      transport: 'ssh',
      host: 'h',
      port: 2222,
      user: 'admin',
      name: 'qemu:///system',
      ssh: { keyfile: '/k', proxy: 'netcat', netcat: 'nc', command: 'ssh', noVerify: false },
    });
  });

  it("use the modular daemon's socket when it runs, else libvirtd's", () => {
    expect(defaultSocket('qemu', (p) => p === '/run/libvirt/virtqemud-sock')).toBe('/run/libvirt/virtqemud-sock');
    expect(defaultSocket('qemu', () => false)).toBe(SYSTEM_SOCKET);
    expect(defaultSocket('../x', () => true)).toBe(SYSTEM_SOCKET);
  });

  it('refuse TLS (a host without a transport), libssh, and unknown transports', () => {
    expect(() => target('qemu://host/system')).toThrow(expect.objectContaining({ code: ErrorCode.NO_SUPPORT }));
    expect(() => target('qemu+libssh2://host/system')).toThrow(expect.objectContaining({ code: ErrorCode.NO_SUPPORT }));
    expect(() => target('qemu+pigeon://host/system')).toThrow('transport in URL not recognised');
    expect(() => target('qemu+unix://host/system')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARG }));
    expect(() => target('qemu+ssh:///system')).toThrow('transport ssh needs a host name');
  });
});
