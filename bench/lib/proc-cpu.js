import { readFileSync } from 'node:fs';

/** The kernel's USER_HZ, the unit of stat(5)'s CPU times: 100 on every Linux Node runs on. */
const TICKS_PER_SECOND = 100;

/**
 * The fields of a /proc/PID/stat line after the command name, from field 3 (state) on: the name may hold spaces and
 * parentheses, so it ends at the last ')'.
 */
function statFields(path) {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU a process has used so far, in µs (stat(5) fields 14 and 15, utime and stime). */
export function cpuMicroseconds(pid) {
  const fields = statFields(`/proc/${pid}/stat`);
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / TICKS_PER_SECOND;
}

/** User + system CPU of this process's waited-for children so far, in ms (stat(5) fields 16 and 17, cutime and cstime). */
export function childrenCpuMs() {
  const fields = statFields('/proc/self/stat');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}
