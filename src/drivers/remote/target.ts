import { existsSync } from 'node:fs';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import type { VirURI } from '../../connection/uri.js';

/** Where a remote URI leads: how to reach the daemon, and the URI the daemon is asked to open. */
export type RemoteTarget =
  | { transport: 'unix'; socket: string; name: string }
  | { transport: 'tcp'; host: string; port: number; name: string }
  | { transport: 'ssh'; host: string; port: number | undefined; user: string | undefined; socket: string; name: string; ssh: SshOptions };

export interface SshOptions {
  /** `keyfile=`: the private key ssh uses. */
  keyfile: string | undefined;
  /** `no_verify=1`: do not check the host key (StrictHostKeyChecking=no). */
  noVerify: boolean;
  /** `known_hosts=`: the known-hosts file ssh uses. */
  knownHosts: string | undefined;
  /** `proxy=netcat|native` (libvirt's names): `nc -U SOCKET` or `virt-ssh-helper URI` on the far side. */
  proxy: 'netcat' | 'native';
  /** `netcat=`: the netcat binary on the far side. */
  netcat: string;
  /** `command=`: the local ssh binary. */
  command: string;
}

/** libvirtd's default TCP port (`tcp_port`). */
export const DEFAULT_TCP_PORT = 16509;
/** The monolithic system daemon's read-write socket (libvirtd). */
export const SYSTEM_SOCKET = '/run/libvirt/libvirt-sock';

/**
 * The system socket libvirt's client picks for a driver when the URI names none: the modular daemon's own socket
 * (`/run/libvirt/virtqemud-sock` for qemu) when that daemon runs, else libvirtd's.
 */
export function defaultSocket(scheme: string, exists: (path: string) => boolean = existsSync): string {
  const modular = `/run/libvirt/virt${scheme.toLowerCase()}d-sock`;
  return /^[a-z0-9]+$/i.test(scheme) && exists(modular) ? modular : SYSTEM_SOCKET;
}

/** Query parameters that configure the transport; libvirt strips them before sending the URI to the daemon. */
const TRANSPORT_PARAMS = new Set([
  'name',
  'socket',
  'command',
  'keyfile',
  'netcat',
  'no_verify',
  'no_tty',
  'known_hosts',
  'known_hosts_verify',
  'sshauth',
  'pkipath',
  'tls_priority',
  'proxy',
  'mode',
  // virtune's own deadlines (src/drivers/remote/factory.ts)
  'connect_timeout',
  'call_timeout',
  'keepalive_interval',
  'keepalive_count',
]);

const badURI = (msg: string): VirError => new VirError(ErrorCode.INVALID_ARG, ErrorDomain.REMOTE, msg);

/**
 * The URI the daemon is asked to open: the driver name with the transport, host, port and transport parameters
 * removed (`test+unix:///default?socket=/s` → `test:///default`), or the `name` parameter when given.
 */
export function daemonURI(uri: VirURI): string {
  const given = uri.params.get('name');
  if (given !== undefined) return given;
  const rest = [...uri.params].filter(([k]) => !TRANSPORT_PARAMS.has(k));
  const query = rest.length === 0 ? '' : `?${rest.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
  return `${uri.scheme}://${uri.path}${query}`;
}

function splitHost(authority: string): { user: string | undefined; host: string; port: number | undefined } {
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? decodeURIComponent(authority.slice(0, at)) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const m = /^(\[[^\]]+\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) throw badURI(`invalid host in URI '${authority}'`);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = m[2] === undefined || m[2] === '' ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw badURI(`invalid port ${m[2]}`);
  return { user, host, port };
}

/** Reads libvirt's remote URI forms: `DRIVER+unix:///PATH[?socket=]`, `DRIVER+tcp://HOST[:PORT]/PATH`, `DRIVER+ssh://[USER@]HOST[:PORT]/PATH`. */
export function remoteTarget(uri: VirURI): RemoteTarget {
  const { user, host, port } = splitHost(uri.host);
  const transport = uri.transport ?? (host === '' ? 'unix' : 'tls');
  const name = daemonURI(uri);
  const socket = uri.params.get('socket') ?? defaultSocket(uri.scheme);
  switch (transport) {
    case 'unix':
      if (host !== '') throw badURI('transport unix does not take a host name');
      return { transport, socket, name };
    case 'tcp':
      return { transport, host: host === '' ? 'localhost' : host, port: port ?? DEFAULT_TCP_PORT, name };
    case 'ssh': {
      if (host === '') throw badURI('transport ssh needs a host name');
      const proxy = uri.params.get('proxy') ?? 'netcat';
      if (proxy !== 'netcat' && proxy !== 'native') throw badURI(`unsupported proxy '${proxy}' (virtune knows netcat and native)`);
      return {
        transport,
        host,
        port,
        user,
        socket,
        name,
        ssh: {
          keyfile: uri.params.get('keyfile'),
          noVerify: uri.params.get('no_verify') === '1',
          knownHosts: uri.params.get('known_hosts'),
          proxy,
          netcat: uri.params.get('netcat') ?? 'nc',
          command: uri.params.get('command') ?? 'ssh',
        },
      };
    }
    case 'tls':
    case 'libssh':
    case 'libssh2':
    case 'ext':
      throw new VirError(ErrorCode.NO_SUPPORT, ErrorDomain.REMOTE, `transport '${transport}' is not supported by virtune's remote driver (use unix, tcp or ssh)`, {
        verbatim: true,
      });
    default:
      throw badURI('transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)');
  }
}
