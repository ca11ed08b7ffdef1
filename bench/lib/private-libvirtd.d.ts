/** A libvirtd started on a private socket: its own directory, sockets and TCP port; never the system's. */
export interface PrivateLibvirtd {
  dir: string;
  /** The read-write unix socket. */
  socket: string;
  /** The TCP port on 127.0.0.1, when started with `tcp`. */
  tcpPort: number | undefined;
  pid: number;
  /** The last 4000 characters the daemon wrote to stderr, where it logs its errors. */
  log(): string;
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
  /** The unix sockets' authentication (`auth_unix_rw`/`auth_unix_ro`). Default `none`. */
  auth?: 'none' | 'sasl' | 'polkit';
  /** More lines for libvirtd.conf (keepalive_interval, max_client_requests, ...). */
  extraConf?: string[];
  startTimeoutMs?: number;
}

export const LIBVIRTD: string;
export function freePort(): Promise<number>;
export function startPrivateLibvirtd(options?: PrivateLibvirtdOptions): Promise<PrivateLibvirtd>;
