import { readFileSync } from 'node:fs';

/** User + system CPU a process has used so far, in µs, from /proc/PID/stat (fields 14 and 15, in clock ticks). */
export function cpuMicroseconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // The kernel's USER_HZ is 100 on every Linux Node runs on.
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
