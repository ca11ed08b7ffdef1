import { readFileSync } from 'node:fs';
import { ErrorCode, ErrorDomain, VirError } from '../errors.js';
import type { HostView } from './policy.js';

/** Reads the host's memory (/proc/meminfo) and pressure (/proc/pressure/memory; 0 when the kernel has no PSI). */
export function readHostView(meminfo = '/proc/meminfo', pressure = '/proc/pressure/memory'): HostView {
  // Paths only: Node 20 aborts the whole process (a C++ assertion, not an exception) on readFileSync(-0, 'utf8').
  for (const path of [meminfo, pressure] as unknown[]) {
    if (typeof path !== 'string') throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.NONE, `readHostView needs file paths as strings, not ${typeof path}`);
  }
  const text = readFileSync(meminfo, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  let psi = 0;
  try {
    psi = Number(/^some avg10=([\d.]+)/m.exec(readFileSync(pressure, 'utf8'))?.[1] ?? 0);
  } catch {
    // No PSI (CONFIG_PSI off or psi=0): pressure is judged from free memory alone.
  }
  return { memTotalKiB: field('MemTotal'), memAvailableKiB: field('MemAvailable'), psiSomeAvg10: psi };
}
