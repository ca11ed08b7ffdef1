import { main } from '../../../src/cli/main.js';

/** A sink that keeps what was written. */
export class Buffer {
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

/** Runs the command line in this process (no spawn): what it printed and its exit status. */
export async function runMain(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ stdout: string; stderr: string; status: number }> {
  const stdout = new Buffer();
  const stderr = new Buffer();
  const status = await main(argv, { stdout, stderr, env });
  return { stdout: stdout.text, stderr: stderr.text, status };
}
