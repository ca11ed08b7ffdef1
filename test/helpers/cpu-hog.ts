import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { eventually } from './eventually.js';

/**
 * A shell busy loop that enters the cgroups of `procsFiles` before it starts spinning, optionally pinned to one
 * CPU with taskset (util-linux). Kill it with {@link stopHog}.
 */
export async function startHog(procsFiles: readonly string[], cpu?: number): Promise<ChildProcess> {
  const script = 'for f; do echo $$ > "$f" || exit 126; done; while :; do :; done';
  const argv = ['/bin/sh', '-c', script, 'hog', ...procsFiles];
  const child = cpu === undefined ? spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' }) : spawn('taskset', ['-c', String(cpu), ...argv], { stdio: 'ignore' });
  // Running once its pid is in the last cgroup it joins.
  const last = procsFiles[procsFiles.length - 1]!;
  await eventually(() => {
    if (child.exitCode !== null) throw new Error(`hog exited with ${child.exitCode}`);
    return readFileSync(last, 'utf8').split('\n').includes(String(child.pid)) || undefined;
  }, 10_000, 'the hog to join its cgroups');
  return child;
}

/** Kills a hog and waits for it to be gone. */
export async function stopHog(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Waits for a measurement window of `ms` to pass. This is the window a rate is measured over, not a wait for
 * something to happen.
 */
export function measurementWindow(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
