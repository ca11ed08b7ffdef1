import { readFileSync } from 'node:fs';
import type { HostView } from './policy.js';

/** Reads the host's memory (/proc/meminfo) and pressure (/proc/pressure/memory; 0 when the kernel has no PSI). */
export function readHostView(meminfo = '/proc/meminfo', pressure = '/proc/pressure/memory'): HostView {
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
