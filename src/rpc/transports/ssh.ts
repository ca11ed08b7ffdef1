import { spawn } from 'node:child_process';
import { Duplex, PassThrough } from 'node:stream';

export interface SshChannelOptions {
  host: string;
  port?: number | undefined;
  user?: string | undefined;
  /** The local ssh binary. */
  command?: string;
  keyfile?: string | undefined;
  knownHosts?: string | undefined;
  noVerify?: boolean;
  /** What runs on the far side, its stdio joined to the daemon: `nc -U SOCKET` or `virt-ssh-helper URI`. */
  remoteCommand: string;
}

/** Quotes one word for the far side's shell. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The far-side command libvirt's `proxy=netcat` runs: netcat joined to the daemon's unix socket. */
export function netcatCommand(netcat: string, socket: string): string {
  return `${shellQuote(netcat)} -U ${shellQuote(socket)}`;
}

/** The far-side command of `proxy=native`: libvirt's own virt-ssh-helper, given the URI to open. */
export function helperCommand(uri: string): string {
  return `virt-ssh-helper ${shellQuote(uri)}`;
}

/** ssh's arguments, as libvirt builds them: no tty, no escape character, never a password prompt. */
export function sshArgs(o: SshChannelOptions): string[] {
  const args = ['-T', '-e', 'none', '-o', 'BatchMode=yes'];
  if (o.port !== undefined) args.push('-p', String(o.port));
  if (o.user !== undefined) args.push('-l', o.user);
  if (o.keyfile !== undefined) args.push('-i', o.keyfile);
  if (o.knownHosts !== undefined) args.push('-o', `UserKnownHostsFile=${o.knownHosts}`);
  if (o.noVerify === true) args.push('-o', 'StrictHostKeyChecking=no');
  args.push('--', o.host, o.remoteCommand);
  return args;
}

/**
 * libvirt's ssh transport: a spawned `ssh HOST -- nc -U SOCKET` (or virt-ssh-helper) whose stdin and stdout carry
 * the RPC stream. When ssh exits with an error, the stream fails with ssh's own words (its stderr), so the caller
 * sees `Host key verification failed.` rather than a bare end of file. Destroying the stream ends ssh.
 */
export function openSshChannel(o: SshChannelOptions): Duplex {
  const child = spawn(o.command ?? 'ssh', sshArgs(o), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < 4096) stderr += s;
  });
  // ssh's output ends before ssh has exited and said why; the read side ends only once the exit status is known,
  // and with an error (ssh's last words, worded as libvirt words them) when ssh failed.
  const incoming = new PassThrough();
  child.stdout.pipe(incoming, { end: false });
  // Writes go through a stream of ours too: ssh's stdin closes when ssh exits, and Node 24's Duplex.from would then
  // destroy the channel at once (ERR_STREAM_PREMATURE_CLOSE) before the exit status and ssh's words are known.
  const outgoing = new PassThrough();
  outgoing.pipe(child.stdin);
  const channel = Duplex.from({ readable: incoming, writable: outgoing });
  child.once('error', (e) => channel.destroy(new Error(`cannot run ${o.command ?? 'ssh'}: ${e.message}`)));
  child.once('close', (code, signal) => {
    if (code === 0 || signal !== null) incoming.end();
    else channel.destroy(new Error(`${lastLine(stderr) || `ssh exited with status ${code}`}: Connection reset by peer`));
  });
  channel.once('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  // Errors travel through the channel's 'error'/'close'; these keep them from being uncaught on the pipes.
  child.stdin.on('error', () => {});
  child.stdout.on('error', () => {});
  return channel;
}

/** The last non-empty line ssh printed: its reason, without the warnings before it. */
function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop()?.trim() ?? '';
}
