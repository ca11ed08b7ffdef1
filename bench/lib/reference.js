import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** libvirt's Python binding, as Debian packages it: /usr/bin/python3, not whatever python3 is first on PATH. */
export const PYTHON = '/usr/bin/python3';
export const WORKER = fileURLToPath(new URL('../reference/libvirt_worker.py', import.meta.url));

/** Why the Python reference cannot run here, or null when it can. */
export function pythonLibvirtMissing() {
  const r = spawnSync(PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0 ? null : `${PYTHON} with the libvirt binding is not available`;
}

/**
 * A long-lived Python process running bench/reference/libvirt_worker.py: one JSON request per line in, one
 * JSON answer per line out. It lives for the whole bench run so its rounds can alternate with virtune's.
 */
export class LibvirtWorker {
  #child;
  #lines;
  #pending = [];
  #stderr = '';
  /** Why the worker is gone, once it is. */
  #exit = null;

  constructor() {
    this.#child = spawn(PYTHON, [WORKER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (d) => {
      this.#stderr = (this.#stderr + d).slice(-4000);
    });
    this.#lines = createInterface({ input: this.#child.stdout });
    this.#lines.on('line', (line) => this.#pending.shift()?.resolve(line));
    // A worker that died makes every later request fail with its last words, never an unhandled EPIPE.
    this.#child.stdin.on('error', () => {});
    this.#child.on('exit', (code) => {
      this.#exit = `libvirt worker exited (${code}): ${this.#stderr.trim()}`;
      for (const p of this.#pending.splice(0)) p.reject(new Error(this.#exit));
    });
  }

  /** Sends one request and returns the worker's answer; an answer with `error` is thrown. */
  async request(req) {
    const line = await new Promise((resolve, reject) => {
      if (this.#exit) return reject(new Error(this.#exit));
      this.#pending.push({ resolve, reject });
      this.#child.stdin.write(`${JSON.stringify(req)}\n`);
    });
    const answer = JSON.parse(line);
    if (answer.error) throw new Error(`libvirt: ${answer.error}`);
    return answer;
  }

  async close() {
    this.#child.stdin.end();
    if (this.#child.exitCode === null) await new Promise((resolve) => this.#child.once('exit', resolve));
  }
}
