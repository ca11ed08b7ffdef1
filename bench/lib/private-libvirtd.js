// A private libvirtd for the remote driver's tests and benchmarks (shared/REFERENCE.md section 8): its own temp
// directory, sockets, pid file and driver directory, auth none; never the system daemon's socket.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, appendFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const LIBVIRTD = '/usr/sbin/libvirtd';
const QEMU_DRIVER = '/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so';

/** A TCP port nobody listens on right now (the kernel's choice, released at once). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port) {
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
 * Whether a unix socket at `path` is listening: its file appears at bind(), before listen(), and a connect in
 * between is refused. Read from /proc/net/unix (flag __SO_ACCEPTCON) rather than by connecting, which libvirtd
 * would log as an error (a client that ends its stream unannounced).
 */
async function listening(path) {
  const table = await readFile('/proc/net/unix', 'utf8');
  return table.split('\n').some((line) => line.endsWith(` ${path}`) && line.split(/\s+/)[3] === '00010000');
}

/** Where libvirt's QEMU driver keeps its state as root; the QEMU daemon gets private copies of each. */
const QEMU_SYSTEM_DIRS = { etc: '/etc/libvirt', lib: '/var/lib/libvirt', cache: '/var/cache/libvirt', log: '/var/log/libvirt' };

/**
 * The QEMU driver, run as root, reads /etc/libvirt/qemu.conf, keeps state under /var/lib, /var/cache, /var/log and
 * /run/libvirt, and looks up the `libvirt-qemu` user at start. Rather than touch any of that, the daemon runs in
 * its own mount namespace where each of those paths is a directory of `dir` (and /etc/passwd, /etc/group copies
 * that add the user). Returns the command that starts it there.
 */
async function qemuNamespace(dir, libvirtdArgs) {
  for (const name of Object.keys(QEMU_SYSTEM_DIRS)) await mkdir(join(dir, name));
  await writeFile(
    join(dir, 'etc', 'qemu.conf'),
    ['user = "root"', 'group = "root"', 'security_driver = "none"', 'stdio_handler = "file"', ''].join('\n'),
  );
  await copyFile('/etc/passwd', join(dir, 'passwd'));
  await copyFile('/etc/group', join(dir, 'group'));
  await appendFile(join(dir, 'passwd'), 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/nonexistent:/usr/sbin/nologin\n');
  await appendFile(join(dir, 'group'), 'libvirt-qemu:x:64055:\n');
  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const mounts = [
    `mount --bind ${q(join(dir, 'passwd'))} /etc/passwd`,
    `mount --bind ${q(join(dir, 'group'))} /etc/group`,
    ...Object.entries(QEMU_SYSTEM_DIRS).map(([name, path]) => `mkdir -p ${path} && mount --bind ${q(join(dir, name))} ${path}`),
    'mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt',
  ];
  const script = `${mounts.join(' && ')} && exec ${[LIBVIRTD, ...libvirtdArgs].map(q).join(' ')}`;
  return { cmd: 'unshare', args: ['--mount', '--propagation', 'private', '/bin/sh', '-c', script] };
}

/**
 * Starts libvirtd on a private socket (and with `tcp`, a free port on 127.0.0.1); resolves once it listens.
 * With `qemu` the QEMU driver is loaded too (otherwise only the built-in test driver is served).
 */
export async function startPrivateLibvirtd(options = {}) {
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
    `auth_unix_rw = "${options.auth ?? 'none'}"`,
    `auth_unix_ro = "${options.auth ?? 'none'}"`,
    'listen_tls = 0',
    `listen_tcp = ${options.tcp ? 1 : 0}`,
    ...(tcpPort === undefined ? [] : [`tcp_port = "${tcpPort}"`, 'listen_addr = "127.0.0.1"', 'auth_tcp = "none"']),
    ...(options.extraConf ?? []),
  ];
  await writeFile(join(dir, 'libvirtd.conf'), `${conf.join('\n')}\n`);
  const args = [...(options.tcp ? ['--listen'] : []), '-p', join(run, 'libvirtd.pid'), '-f', join(dir, 'libvirtd.conf')];
  // unshare and sh exec into libvirtd, so the child's pid is the daemon's.
  const { cmd, args: argv } = options.qemu ? await qemuNamespace(dir, args) : { cmd: LIBVIRTD, args };
  const child = spawn(cmd, argv, { env: { ...process.env, LIBVIRT_DRIVER_DIR: drv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s) => (stderr = (stderr + s).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const socket = join(run, 'libvirt-sock');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  try {
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      if (child.exitCode !== null) throw new Error(`libvirtd exited ${child.exitCode}: ${stderr}`);
      if (existsSync(socket) && (await listening(socket)) && (tcpPort === undefined || (await accepts(tcpPort)))) break;
      if (Date.now() > deadline) throw new Error(`libvirtd did not listen within the deadline: ${stderr}`);
      await new Promise((r) => setTimeout(r, delay));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    dir,
    socket,
    tcpPort,
    pid: child.pid,
    log: () => stderr,
    unixURI: (path = 'test:///default') => `${path.replace(/^(\w+):/, '$1+unix:')}?socket=${socket}`,
    tcpURI: (path = 'test:///default') => path.replace(/^(\w+):\/\//, `$1+tcp://127.0.0.1:${tcpPort}`),
    stop,
  };
}
