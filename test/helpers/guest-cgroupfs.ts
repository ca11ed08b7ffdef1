import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { CgroupFileSystem } from '../../src/cgroup/cgroup-fs.js';

// glibc's strerror texts (what busybox prints after its last `: `) back to errno names.
const ERRNO_OF_TEXT: Readonly<Record<string, string>> = {
  'Operation not permitted': 'EPERM',
  'No such file or directory': 'ENOENT',
  'No such process': 'ESRCH',
  'Input/output error': 'EIO',
  'Argument list too long': 'E2BIG',
  'Resource temporarily unavailable': 'EAGAIN',
  'Cannot allocate memory': 'ENOMEM',
  'Permission denied': 'EACCES',
  'Device or resource busy': 'EBUSY',
  'File exists': 'EEXIST',
  'Not a directory': 'ENOTDIR',
  'Is a directory': 'EISDIR',
  'Invalid argument': 'EINVAL',
  'No space left on device': 'ENOSPC',
  'Read-only file system': 'EROFS',
  'Numerical result out of range': 'ERANGE',
  'Directory not empty': 'ENOTEMPTY',
  'No such device': 'ENODEV',
  'Operation not supported': 'EOPNOTSUPP',
};

/** How long one operation may take before the guest is taken for dead (TCG on a loaded machine is slow). */
const DEADLINE_MS = 60_000;

/**
 * A {@link CgroupFileSystem} whose files are a guest kernel's: each operation goes to the server of
 * test/fixtures/guest/cgroup2-init.sh over the guest's second serial port, and its failures come back as Node-style
 * errors with the guest's errno (`code`). Synchronous like the interface: the socket lives in a worker thread
 * (./guest-cgroupfs-worker.mjs) and this thread sleeps on a shared flag until the reply, or a deadline.
 */
export class GuestCgroupFs implements CgroupFileSystem {
  /** Requests sent, for figures. */
  requests = 0;
  /** Why the channel is unusable (a request timed out, the guest went away): later requests fail at once. */
  #broken: string | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly flag: Int32Array,
  ) {}

  /**
   * Listens on `socketPath` (for QEMU's `-serial unix:PATH`, which connects to it); resolves once listening, with
   * `ready`, which resolves with the guest's kernel release once the guest serves requests.
   */
  static async listen(socketPath: string): Promise<{ fs: GuestCgroupFs; ready: Promise<string> }> {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(new URL('./guest-cgroupfs-worker.mjs', import.meta.url), {
      workerData: { socketPath, replies: port2, signal: flag.buffer },
      transferList: [port2],
    });
    const event = (want: 'listening' | 'ready'): Promise<string> =>
      new Promise((resolve, reject) => {
        const on = (m: { listening?: true; ready?: string; closed?: true; error?: string }): void => {
          if (want === 'listening' && m.listening) resolve('');
          else if (want === 'ready' && m.ready !== undefined) resolve(m.ready);
          else if (m.error !== undefined || m.closed) reject(new Error(`guest channel: ${m.error ?? 'closed before the guest was ready'}`));
          else return;
          worker.off('message', on);
        };
        worker.on('message', on);
        worker.once('error', reject);
      });
    const ready = event('ready');
    ready.catch(() => {}); // the caller awaits it later; an early failure must not count as unhandled meanwhile
    await event('listening');
    return { fs: new GuestCgroupFs(worker, port1, flag), ready };
  }

  /** Sends one request and returns its data lines; a failure throws an error with the guest's errno as `code`. */
  request(op: string, path: string, value?: string): string[] {
    for (const part of [path, value ?? '']) {
      // One line per field; busybox's echo would take a lone -n/-e/-E as its option.
      if (/[\n\r]/.test(part) || /^-[neE]+$/.test(part)) throw new Error(`the guest channel cannot carry ${JSON.stringify(part)}`);
    }
    if (this.#broken !== undefined) throw new Error(`the guest channel is unusable (${this.#broken}): not sending '${op} ${path}'`);
    this.requests++;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ send: `${op} ${path}\n${value === undefined ? '' : `${value}\n`}` });
    // A late reply would answer the next request: after a timeout the channel is not used again.
    if (Atomics.wait(this.flag, 0, 0, DEADLINE_MS) === 'timed-out') throw this.#break(`the guest did not answer '${op} ${path}' in ${DEADLINE_MS} ms`);
    const reply = receiveMessageOnPort(this.port)?.message as { lines?: string[]; closed?: true } | undefined;
    if (!reply?.lines) throw this.#break(`the guest channel closed during '${op} ${path}'`);
    const data = reply.lines.slice(0, -1);
    const stray = data.find((l) => !l.startsWith('|'));
    if (stray !== undefined) throw this.#break(`the guest answered '${op} ${path}' with a stray line ${JSON.stringify(stray)}`);
    const last = reply.lines.at(-1)!;
    if (last.startsWith('E ')) {
      const message = last.slice(2);
      const code = ERRNO_OF_TEXT[message.split(': ').at(-1)!] ?? 'EIO';
      throw Object.assign(new Error(`${code}: ${message} (${op} '${path}' in the guest)`), { code, path });
    }
    return data.map((l) => l.slice(1));
  }

  #break(reason: string): Error {
    this.#broken = reason;
    return new Error(reason);
  }

  readFile(path: string): string {
    return this.request('r', path).map((l) => `${l}\n`).join('');
  }
  writeFile(path: string, value: string): void {
    this.request('w', path, value);
  }
  mkdir(path: string): void {
    this.request('m', path);
  }
  rmdir(path: string): void {
    this.request('d', path);
  }
  exists(path: string): boolean {
    return this.request('e', path).length > 0;
  }
  subdirs(path: string): string[] {
    return this.request('s', path);
  }

  /** Starts `command` (busybox sh) in the guest, inside cgroup directory `dir`; its pid. */
  start(dir: string, command: string): number {
    return Number(this.request('x', dir, command)[0]);
  }

  /** SIGKILLs a process {@link start} started, and reaps it. */
  kill(pid: number): void {
    this.request('k', String(pid));
  }

  /** Asks the guest to power off (QEMU then exits), and stops the channel's thread. */
  async close(): Promise<void> {
    try {
      this.request('q', '-');
    } catch {
      // Already gone: the caller's QEMU exit wait decides.
    }
    this.port.postMessage({ stop: true });
    await this.worker.terminate();
  }
}
