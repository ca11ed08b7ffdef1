import type { Duplex } from 'node:stream';
import { ErrorCode, ErrorDomain, VirError } from '../../errors.js';
import { CONNECT_RO } from '../../flags.js';
import { RpcClient } from '../../rpc/client.js';
import { AUTH_TYPE, DRV_FEATURE, invoke, REMOTE_PROCEDURES as P } from '../../rpc/remote-procedures.js';
import { connectTcp, connectUnix, type SocketTransport } from '../../rpc/transports/socket.js';
import { helperCommand, netcatCommand, openSshChannel } from '../../rpc/transports/ssh.js';
import type { RemoteTarget } from './target.js';

export interface RemoteConnectOptions {
  readOnly: boolean;
  /** Deadline for reaching the daemon and opening the connection, ms. */
  connectTimeoutMs: number;
  /** Deadline of each later call, ms. */
  callTimeoutMs: number;
  /** PING the daemon after this long without traffic, ms; 0 turns keepalive off. libvirt: 5000. */
  keepaliveIntervalMs: number;
  /** Give up after this many unanswered PINGs. libvirt: 5. */
  keepaliveCount: number;
}

/** The byte stream to the daemon, and how its bytes are read when not by 'data' events (sockets). */
interface DaemonStream {
  stream: Duplex;
  read?: (reader: (chunk: Buffer) => void) => void;
}

const fromSocket = ({ socket, read }: SocketTransport): DaemonStream => ({ stream: socket, read });

async function openStream(t: RemoteTarget, timeoutMs: number): Promise<DaemonStream> {
  switch (t.transport) {
    case 'unix':
      return fromSocket(await connectUnix(t.socket, timeoutMs));
    case 'tcp':
      return fromSocket(await connectTcp(t.host, t.port, timeoutMs));
    case 'ssh':
      return { stream: openSshChannel({
        host: t.host,
        port: t.port,
        user: t.user,
        command: t.ssh.command,
        keyfile: t.ssh.keyfile,
        knownHosts: t.ssh.knownHosts,
        noVerify: t.ssh.noVerify,
        remoteCommand: t.ssh.proxy === 'native' ? helperCommand(t.name) : netcatCommand(t.ssh.netcat, t.socket),
      }) };
  }
}

/** What a fresh connection learned while opening. */
export interface OpenedRemote {
  client: RpcClient;
  /** The daemon driver's type (`TEST`, `QEMU`). */
  type: string;
}

/**
 * What the daemon's driver answers to CONNECT_GET_TYPE, for the schemes whose driver is known by the scheme alone:
 * the daemon picks its driver by the scheme of the URI it is asked to open, and libvirt's test and QEMU drivers
 * always answer `TEST` and `QEMU` (the remote-driver tests ask the daemon and compare). libvirt's client asks for
 * the type only when a caller first wants it; virtune's getType() answers at once, so for these schemes it is known
 * without asking, and only another scheme costs a CONNECT_GET_TYPE at open.
 */
export const DRIVER_TYPE_BY_SCHEME: Readonly<Record<string, string>> = { test: 'TEST', qemu: 'QEMU' };

/** The driver type a daemon-side URI implies, when its scheme alone says it. */
export function knownDriverType(name: string): string | undefined {
  const m = /^([a-z0-9]+):\/\//i.exec(name);
  return m ? DRIVER_TYPE_BY_SCHEME[m[1]!.toLowerCase()] : undefined;
}

/**
 * The daemon's refusal of a call made before the client authenticated (`virNetServerProgramDispatchCall`:
 * VIR_ERR_RPC "authentication required", from the RPC domain).
 */
function refusedBeforeAuthList(e: unknown): boolean {
  return e instanceof VirError && e.code === ErrorCode.RPC && e.domain === ErrorDomain.RPC;
}

/**
 * Reaches the daemon and opens a connection as libvirt's client does: the list of auth types (virtune speaks
 * `none` only), CONNECT_OPEN with the daemon-side URI, and the driver type when the URI does not say it. Whether
 * the daemon speaks keepalive is asked later, and only by a connection that stays quiet for a keepalive interval.
 * Every step is bound by one connect deadline; on any failure the stream is closed.
 */
export async function connectRemote(t: RemoteTarget, o: RemoteConnectOptions): Promise<OpenedRemote> {
  const deadline = Date.now() + o.connectTimeoutMs;
  const left = (): { timeoutMs: number } => ({ timeoutMs: Math.max(1, deadline - Date.now()) });
  const { stream, read } = await openStream(t, o.connectTimeoutMs);
  const client = new RpcClient(stream, { callTimeoutMs: o.callTimeoutMs, ...(read ? { read } : {}) });
  try {
    // With no authentication to do (the only kind virtune speaks) these are independent of each other, so they go
    // out together: one round trip. The driver type needs the connection open; the daemon runs a client's calls
    // concurrently, so when it was asked too early it is asked again once the open has succeeded.
    const openArgs = { name: t.name, flags: o.readOnly ? CONNECT_RO : 0 };
    const auth = invoke(client, P.authList, undefined, left());
    const opened = invoke(client, P.connectOpen, openArgs, left());
    const known = knownDriverType(t.name);
    const early = known === undefined ? invoke(client, P.connectGetType, undefined, left()) : undefined;
    // Each is awaited in turn below, and a failure of one ends the open: the others must not be left unhandled.
    opened.catch(ignore);
    early?.catch(ignore);
    checkAuthTypes(await auth);
    try {
      await opened;
    } catch (e) {
      if (!refusedBeforeAuthList(e)) throw e;
      // The daemon runs a client's calls concurrently, and AUTH_LIST is where it lets root past polkit (the
      // default for the system socket): a CONNECT_OPEN it ran first was refused. The list is answered now, so
      // the open is asked again — as libvirt's client, which waits for the list, would have had it succeed.
      await invoke(client, P.connectOpen, openArgs, left());
    }
    if (o.keepaliveIntervalMs > 0) {
      client.startKeepalive({
        intervalMs: o.keepaliveIntervalMs,
        count: o.keepaliveCount,
        probe: () => invoke(client, P.connectSupportsFeature, DRV_FEATURE.PROGRAM_KEEPALIVE),
      });
    }
    const type = known ?? (await early!.catch(() => invoke(client, P.connectGetType, undefined, left())));
    return { client, type };
  } catch (e) {
    await client.close();
    throw e;
  }
}

const ignore = (): void => {};

/** virtune speaks auth `none` only: a daemon that lists others and not it is refused with AUTH_FAILED. */
function checkAuthTypes(types: number[]): void {
  if (types.length > 0 && !types.includes(AUTH_TYPE.NONE)) {
    const names = types.map((a) => (a === AUTH_TYPE.SASL ? 'sasl' : a === AUTH_TYPE.POLKIT ? 'polkit' : String(a)));
    throw new VirError(ErrorCode.AUTH_FAILED, ErrorDomain.REMOTE, `authentication ${names.join(', ')} is not supported by virtune's remote driver`);
  }
}
