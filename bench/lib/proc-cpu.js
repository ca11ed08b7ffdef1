import { readFileSync } from 'node:fs';

/** User + system CPU a process has used so far, in µs, from /proc/PID/stat (fields 14 and 15, in clock ticks). */
export function cpuMicroseconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // The kernel's USER_HZ is 100 on every Linux Node runs on.
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** User + system CPU of this process's waited-for children so far, in ms (/proc/self/stat cutime, cstime). */
export function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of stat(5) (cutime, cstime) are at 13 and 14 after the command name; USER_HZ is 100 on Linux.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}
