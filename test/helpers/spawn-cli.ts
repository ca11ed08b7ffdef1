import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's place in test/helpers. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built command line, as users run it. */
export const VIRTUNE_BIN = `${ROOT}bin/virtune.js`;

/** What one run of a command line printed and returned. */
export interface CliResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** The environment both tools run in: no default URI inherited from the caller, C messages. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C', ...extra };
  delete env.LIBVIRT_DEFAULT_URI;
  delete env.VIRTUNE_DEFAULT_URI;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

function run(file: string, args: readonly string[], env?: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env: cleanEnv(env), cwd: ROOT, timeout: 30_000 }, (err, stdout, stderr) => {
      const status = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      if (err && status === -1) reject(err);
      else resolve({ stdout: String(stdout), stderr: String(stderr), status });
    });
    child.stdin?.on('error', () => {}); // the child may exit before reading its input
    child.stdin?.end(input ?? '');
  });
}

/** Fails clearly when dist/ is missing: these tests run the built command line. */
export function assertBuilt(): void {
  if (!existsSync(`${ROOT}dist/cli/main.js`)) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` before the CLI tests');
  }
}

/** `virtune ARGS`; `nodeFlags` go to node itself (`--import`, ...). */
export function runVirtune(
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
  input?: string,
  nodeFlags: readonly string[] = [],
): Promise<CliResult> {
  return run(process.execPath, [...nodeFlags, VIRTUNE_BIN, ...args], env, input);
}

/** `virsh ARGS`, libvirt's own command line. */
export function runVirsh(args: readonly string[], env?: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return run('virsh', args, env, input);
}

/**
 * dominfo without the lines virtune's driver table cannot answer (OS type, autostart, managed save, security) and
 * without CPU time, which the test driver takes from the clock: what virsh and virtune can both print.
 */
export function dominfoCommon(r: CliResult): CliResult {
  const stdout = r.stdout
    .split('\n')
    .filter((l) => !/^(OS Type|Autostart|Managed save|Security [a-zA-Z]+|CPU time):/.test(l))
    .join('\n');
  return { ...r, stdout };
}
