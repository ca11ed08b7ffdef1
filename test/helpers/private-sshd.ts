import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './private-libvirtd.js';
import { eventually } from './eventually.js';

/** An sshd the test started itself on 127.0.0.1, with its own host key and one client key. */
export interface PrivateSshd {
  port: number;
  /** The client's private key (root may log in with it). */
  keyfile: string;
  /** A known_hosts file that holds this sshd's host key. */
  knownHosts: string;
  /** The query parameters a `+ssh` URI needs to reach this sshd without prompts. */
  uriParams: string;
  stop(): Promise<void>;
}

/**
 * Starts sshd on a free port of 127.0.0.1 from a temp directory: host key, authorized key, config and pid file all
 * there. sshd insists on its privilege-separation directory /run/sshd, which is created when missing (an empty
 * directory owned by root, as Debian's own service makes it).
 */
export async function startPrivateSshd(): Promise<PrivateSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'virtune-sshd-'));
  const port = await freePort();
  const key = (name: string): string => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'virtune-test', '-f', join(dir, name)]);
    return join(dir, name);
  };
  const hostKey = key('host_key');
  const clientKey = key('client_key');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'X11Forwarding no',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode}: ${stderr}`);
        return /Server listening on 127\.0\.0\.1/.test(stderr) ? true : undefined;
      },
      15_000,
      'the private sshd to listen',
    );
  } catch (e) {
    await stop();
    throw e;
  }
  const knownHosts = join(dir, 'known_hosts');
  return { port, keyfile: clientKey, knownHosts, uriParams: `keyfile=${clientKey}&known_hosts=${knownHosts}`, stop };
}
