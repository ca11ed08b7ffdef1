import { statSync, type BigIntStats } from 'node:fs';
import { ErrorDomain } from '../../errors.js';
import { systemError } from '../../cgroup/system-error.js';

/** glibc's major() and minor() of a 64-bit dev_t. */
function majorMinor(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & 0xfffff000n);
  const minor = (dev & 0xffn) | ((dev >> 12n) & 0xffffff00n);
  return `${major}:${minor}`;
}

/**
 * A block device's path as the cgroup files name it, `MAJ:MIN` — libvirt's virCgroupGetBlockDevString: stat (links
 * followed, so `/dev/disk/by-id/...` works), then the device number. Errors are libvirt's system errors (error domain
 * CGROUP): `Path '/dev/nope' is not accessible: No such file or directory` (the errno stat gave) and
 * `Path '/tmp' must be a block device: Invalid argument`.
 */
export function resolveBlkioDevice(path: string): string {
  let st: BigIntStats;
  try {
    st = statSync(path, { bigint: true });
  } catch (e) {
    throw systemError(ErrorDomain.CGROUP, `Path '${path}' is not accessible`, e, path);
  }
  if (!st.isBlockDevice()) {
    throw systemError(ErrorDomain.CGROUP, `Path '${path}' must be a block device`, { code: 'EINVAL' }, path);
  }
  return majorMinor(st.rdev);
}
