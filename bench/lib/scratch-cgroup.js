// Cgroups a bench makes for itself (uniquely named, removed by the bench that made them).
import { rmdirSync } from 'node:fs';

/** rmdir of a cgroup: true once it is gone, false while the kernel still reports it busy. */
export function removeCgroup(dir) {
  try {
    rmdirSync(dir);
    return true;
  } catch (err) {
    if (err.code === 'ENOENT') return true;
    if (err.code === 'EBUSY') return false;
    throw err;
  }
}

/** rmdir of a cgroup whose last process has just been reaped: the kernel may report it busy for a moment. */
export async function removeCgroupWhenEmpty(dir) {
  const deadline = Date.now() + 5_000;
  while (!removeCgroup(dir)) {
    if (Date.now() > deadline) throw new Error(`cgroup ${dir} still busy 5 s after its QEMU exited`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
