import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.js';

/** A libvirtd the test started itself: its own directory, sockets and TCP port; never the system's. */
export interface PrivateLibvirtd {
  dir: string;
  /** The read-write unix socket. */
  socket: string;
  /** The TCP port on 127.0.0.1, when started with `tcp`. */
  tcpPort: number | undefined;
  pid: number;
  /** `DRIVER+unix:///PATH?socket=...` for this daemon. */
  unixURI(driverPath?: string): string;
  /** `DRIVER+tcp://127.0.0.1:PORT/PATH` for this daemon. */
  tcpURI(driverPath?: string): string;
  /** Stops this daemon (by its pid) and removes its directory. */
  stop(): Promise<void>;
}

export interface PrivateLibvirtdOptions {
  /** Listen on 127.0.0.1 too (auth none). */
  tcp?: boolean;
  /** Load the QEMU driver (otherwise only the built-in test driver is served). */
  qemu?: boolean;
  /** More lines for libvirtd.conf (keepalive_interval, max_client_requests, ...). */
  extraConf?: string[];
}

export const LIBVIRTD = '/usr/sbin/libvirtd';
const QEMU_DRIVER = '/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so';

/** A TCP port nobody listens on right now (the kernel's choice, released at once). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Starts libvirtd on a private socket (shared/REFERENCE.md section 8): a unique temp directory for its sockets,
 * pid file and driver directory, auth none, and with `tcp` a free port on 127.0.0.1.
 */
export async function startPrivateLibvirtd(options: PrivateLibvirtdOptions = {}): Promise<PrivateLibvirtd> {
  const dir = await mkdtemp(join(tmpdir(), 'virtune-libvirtd-'));
  const run = join(dir, 'run');
  const drv = join(dir, 'drv');
  await mkdir(run);
  await mkdir(drv);
  if (options.qemu) await symlink(QEMU_DRIVER, join(drv, 'libvirt_driver_qemu.so'));
  const tcpPort = options.tcp ? await freePort() : undefined;
  const conf = [
    `unix_sock_dir = "${run}"`,
    'unix_sock_rw_perms = "0700"',
    'auth_unix_rw = "none"',
    'auth_unix_ro = "none"',
    'listen_tls = 0',
    `listen_tcp = ${options.tcp ? 1 : 0}`,
    ...(tcpPort === undefined ? [] : [`tcp_port = "${tcpPort}"`, 'listen_addr = "127.0.0.1"', 'auth_tcp = "none"']),
    ...(options.extraConf ?? []),
  ];
  await writeFile(join(dir, 'libvirtd.conf'), `${conf.join('\n')}\n`);
  const args = [...(options.tcp ? ['--listen'] : []), '-p', join(run, 'libvirtd.pid'), '-f', join(dir, 'libvirtd.conf')];
  const child: ChildProcess = spawn(LIBVIRTD, args, {
    env: { ...process.env, LIBVIRT_DRIVER_DIR: drv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const socket = join(run, 'libvirt-sock');
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`libvirtd exited ${child.exitCode}: ${stderr}`);
        if (!existsSync(socket)) return undefined;
        if (tcpPort !== undefined && !(await accepts(tcpPort))) return undefined;
        return true;
      },
      20_000,
      'the private libvirtd to listen',
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    dir,
    socket,
    tcpPort,
    pid: child.pid!,
    unixURI: (path = 'test:///default') => `${path.replace(/^(\w+):/, '$1+unix:')}?socket=${socket}`,
    tcpURI: (path = 'test:///default') => path.replace(/^(\w+):\/\//, `$1+tcp://127.0.0.1:${tcpPort}`),
    stop,
  };
}
