// A caller's HostCgroupsOptions read once and checked where they come in (createLxcDriverFactory), not where they
// are used: the paths go to node's fs, and Node 20 aborts the whole process (a C++ assertion, not an exception) on
// readFileSync(-0, 'utf8') — so a path that is not a string must never get that far.
import { describeValue, invalidArgument, readList } from '../error-guard.js';
import type { CgroupFileSystem } from './cgroup-fs.js';
import type { HostCgroupsOptions } from './controller.js';

const STRINGS = ['root', 'parent', 'mountinfoPath'] as const;
const LISTS = ['controllers', 'optionalControllers'] as const;

/**
 * `options` as a plain object of our own holding only the fields it sets, each checked: paths are non-empty strings
 * without NUL, `version` v1 or v2, `fs` an object, the controller lists arrays (read once, bounded). `what` names the
 * function in the messages. INVALID_ARG otherwise.
 */
export function readHostCgroupsOptions(options: unknown, what: string): HostCgroupsOptions {
  if (options === undefined) return {};
  const refuse = (reason: string): never => {
    throw invalidArgument(`${what}: ${reason}`);
  };
  if (options === null || typeof options !== 'object') return refuse(`options must be an object, not ${describeValue(options)}`);
  const given = options as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of STRINGS) {
    const v = given[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '' || v.includes('\0')) refuse(`${key} must be a non-empty path, not ${describeValue(v)}`);
    out[key] = v;
  }
  const version = given.version;
  if (version !== undefined) out.version = version === 'v1' || version === 'v2' ? version : refuse(`version must be 'v1' or 'v2', not ${describeValue(version)}`);
  const fs = given.fs;
  if (fs !== undefined) out.fs = fs !== null && typeof fs === 'object' ? (fs as CgroupFileSystem) : refuse(`fs must be an object, not ${describeValue(fs)}`);
  for (const key of LISTS) {
    const v = given[key];
    if (v !== undefined) out[key] = readList(v, `${what}: ${key}`, invalidArgument);
  }
  return out as HostCgroupsOptions;
}
