import { ErrorCode, ErrorDomain, VirError } from '../errors.js';

/** The parent cgroup domains go under unless configured otherwise (libvirt's `machine` partition). */
export const DEFAULT_CGROUP_PARENT = 'machine';

// Controller names a cgroup's own files start with (`memory.limit_in_bytes`); a directory named like one
// would be confusable with them, which is why libvirt prefixes such names with '_'.
const CONTROLLERS = [
  'blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'hugetlb', 'io', 'memory', 'misc',
  'net_cls', 'net_prio', 'perf_event', 'pids', 'rdma', 'cgroup',
];

const SAFE = /[A-Za-z0-9_.+:@-]/;

/**
 * One path component for any name: characters outside `[A-Za-z0-9_.+:@-]` become `\xNN` (systemd's escape,
 * so `/` and NUL can never reach a path), then libvirt's rule: a name starting with `_`, `.` or `<controller>.`
 * gets a leading `_`. Distinct names give distinct components.
 */
export function escapeCgroupName(name: string): string {
  let out = '';
  for (const ch of Buffer.from(name, 'utf8').toString('latin1')) {
    out += SAFE.test(ch) && ch !== '\\' ? ch : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  }
  const needsPrefix =
    out.startsWith('_') || out.startsWith('.') || CONTROLLERS.some((c) => out.startsWith(`${c}.`));
  return needsPrefix ? `_${out}` : out;
}

/**
 * Splits and checks a configured parent (`machine`, `machine/tenant-a`): each component must already be a
 * plain name (no `.`/`..`, nothing that needs escaping), so a configuration can never climb out of the
 * hierarchy. Returns the components, escaped with libvirt's `_` rule.
 */
export function parseCgroupParent(parent: string): string[] {
  const parts = parent.split('/').filter((p) => p !== '');
  for (const p of parts) {
    if (p === '.' || p === '..' || ![...p].every((ch) => SAFE.test(ch))) {
      throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.CGROUP, `invalid cgroup parent '${parent}'`);
    }
  }
  return parts.map(escapeCgroupName);
}

/**
 * The path of a domain's cgroup relative to the controller's root: `<parent>/<name>.virtune-<driver>`, escaped.
 *
 * @example domainCgroupRelPath('web/1', 'lxc') === 'machine/web\\x2f1.virtune-lxc'
 */
export function domainCgroupRelPath(name: string, driver: string, parent = DEFAULT_CGROUP_PARENT): string {
  if (name.length === 0) {
    throw new VirError(ErrorCode.INVALID_ARG, ErrorDomain.CGROUP, 'empty domain name');
  }
  return [...parseCgroupParent(parent), escapeCgroupName(`${name}.virtune-${driver}`)].join('/');
}
