import { execFile } from 'node:child_process';

/** What one wbemcli run printed and returned. */
export interface WbemcliResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Runs the real CIM client (Debian's sblim-wbemcli). */
export function wbemcli(...args: string[]): Promise<WbemcliResult> {
  return new Promise((resolve, reject) => {
    execFile('wbemcli', args, { timeout: 30_000, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      const status = err ? (err as { code?: unknown }).code : 0;
      if (typeof status !== 'number') reject(err);
      else resolve({ stdout, stderr, status });
    });
  });
}

/** wbemcli's `-nl` listing of one instance: `-Name=value` lines, strings unquoted, NULL as ''. */
export function propertiesOf(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^-(\w+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/** The object path of a domain's memory RASD at `url` (`http://127.0.0.1:PORT`). */
export function memPath(url: string, domain: string, prefix = 'KVM'): string {
  return `${url}/root/virt:${prefix}_MemResourceAllocationSettingData.InstanceID="${domain}/mem"`;
}
