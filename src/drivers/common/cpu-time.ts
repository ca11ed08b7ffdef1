import { readFileSync } from 'node:fs';

// USER_HZ is 100 on every Linux architecture Node supports.
const NS_PER_TICK = 10_000_000n;

/** CPU time (user + system, including reaped children) of the given processes, nanoseconds. */
export function cpuTimeNs(pids: readonly number[]): bigint {
  let ticks = 0n;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14-17 (utime, stime, cutime, cstime) are f[11..14].
      for (let i = 11; i <= 14; i++) ticks += BigInt(f[i] ?? '0');
    } catch {
      /* exited meanwhile */
    }
  }
  return ticks * NS_PER_TICK;
}
