import { readFileSync } from 'node:fs';

import type { CgroupFileSystem } from './cgroup-fs.js';

/** Which cgroup hierarchies a host mounts. */
export type CgroupMode = 'v1' | 'v2' | 'hybrid' | 'none';

/** What /proc/self/mountinfo says about cgroups. */
export interface CgroupLayout {
  /** v1: only legacy hierarchies; v2: only cgroup2; hybrid: both mounted; none: neither. */
  mode: CgroupMode;
  /**
   * Every v1 controller → the mount point of the hierarchy that carries it (co-mounted controllers, like
   * `cpu,cpuacct`, share one). The first mount of a controller wins.
   */
  v1: Readonly<Record<string, string>>;
  /** Mount point of the cgroup2 filesystem. */
  unified?: string;
}

/** Mount options of a v1 hierarchy that are not controllers. */
const NOT_CONTROLLERS = new Set(['rw', 'ro', 'noprefix', 'xattr', 'clone_children', 'cpuset_v2_mode', 'favordynmods']);

/** Undoes mountinfo's octal escapes (`\040` for a space). */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * Reads cgroup mounts from the text of /proc/self/mountinfo (proc(5): fields, then `-`, fstype, source, super
 * options). A v1 hierarchy names its controllers in the super options.
 */
export function parseMountinfo(text: string): CgroupLayout {
  let v1Any = false;
  const v1: Record<string, string> = {};
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const sep = fields.indexOf('-');
    if (sep < 5) continue;
    const mountPoint = unescapeMount(fields[4]!);
    const fsType = fields[sep + 1];
    const superOptions = (fields[sep + 3] ?? '').split(',');
    if (fsType === 'cgroup') {
      v1Any = true;
      for (const option of superOptions) {
        // `name=systemd` names a hierarchy without controllers; `release_agent=...` is a setting.
        if (option.includes('=') || NOT_CONTROLLERS.has(option) || option === '') continue;
        v1[option] ??= mountPoint;
      }
    } else if (fsType === 'cgroup2' && unified === undefined) {
      unified = mountPoint;
    }
  }
  const mode: CgroupMode = v1Any && unified ? 'hybrid' : v1Any ? 'v1' : unified ? 'v2' : 'none';
  return { mode, v1, ...(unified === undefined ? {} : { unified }) };
}

/** The controllers a cgroup2 directory offers (`cgroup.controllers`); none when the file cannot be read. */
export function v2Controllers(fs: CgroupFileSystem, dir: string): string[] {
  try {
    return fs.readFile(`${dir}/cgroup.controllers`).split(/\s+/).filter((w) => w !== '');
  } catch {
    return [];
  }
}

/**
 * The host's cgroup layout, from /proc/self/mountinfo (or another file, for tests). A host without that file
 * (no /proc, not Linux) has no cgroups we can use: mode `none`, so callers fall back to the stub driver.
 */
export function detectCgroupLayout(mountinfoPath = '/proc/self/mountinfo'): CgroupLayout {
  let text: string;
  try {
    text = readFileSync(mountinfoPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { mode: 'none', v1: {} };
    throw e;
  }
  return parseMountinfo(text);
}
