import { statSync } from 'node:fs';
import { systemError } from '../../cgroup/system-error.js';
import { ErrorDomain } from '../../errors.js';

/**
 * A block device's number as cgroup files write it, `MAJ:MIN`, from its path (libvirt's
 * virCgroupGetBlockDevString), with libvirt's errors: `Path '%s' is not accessible` (the stat's errno) and
 * `Path '%s' must be a block device` (EINVAL).
 */
export function blockDeviceNumber(path: string): string {
  let st;
  try {
    st = statSync(path, { bigint: true });
  } catch (e) {
    throw systemError(ErrorDomain.CGROUP, `Path '${path}' is not accessible`, e, path);
  }
  if (!st.isBlockDevice()) {
    throw systemError(ErrorDomain.CGROUP, `Path '${path}' must be a block device`, Object.assign(new Error('EINVAL'), { code: 'EINVAL' }), path);
  }
  // glibc's major()/minor() of a dev_t.
  const dev = st.rdev;
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}
