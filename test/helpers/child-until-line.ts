import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A child Node process that printed its first line and is still running (or blocked). */
export interface RunningChild {
  /** The first line it printed. */
  line: string;
  /** SIGKILLs it (if still running) and waits for its exit. */
  kill(): Promise<void>;
}

/**
 * Runs `script` (from the package root, so it can import dist/) until it prints a line; rejects with its stderr
 * when it exits first. For tests that kill a process at a precise point of its work.
 */
export function runChildUntilLine(script: string, args: string[]): Promise<RunningChild> {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve({ line: out.slice(0, end), kill });
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    void exited.then(() => reject(new Error(`child exited before printing a line: ${err}`)));
  });
}
